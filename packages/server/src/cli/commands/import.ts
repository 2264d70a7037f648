import { Intel } from '@vigil/intel';
import type { Config } from '../../config/config.js';
import type { LoginEvent } from '../../replay/login-event.js';
import { LoginFileError, readLogins } from '../../replay/read-logins.js';
import { Replayer } from '../../replay/replayer.js';
import { retentionMsOf } from '../../use-cases/retention.js';
import { parse, UsageError } from '../args.js';
import type { Io } from '../main.js';
import { pickProject } from './pick-project.js';
import { withStore } from './project.js';

/** What an `outcome` says of a past login: the customer's system honoured it, or refused it. */
const honoured = new Set(['success', 'succeeded', 'successful', 'allow', 'allowed', 'ok', 'trusted', 'consumed', 'verified', 'passed', 'true', '1']);
const refused = new Set(['failure', 'failed', 'fail', 'deny', 'denied', 'blocked', 'untrusted', 'fraud', 'attack', 'false', '0']);

function knownTrust(outcome: string | null | undefined, where: string): 'trusted' | 'untrusted' | undefined {
  if (outcome === undefined || outcome === null) return undefined;
  const o = outcome.trim().toLowerCase();
  if (honoured.has(o)) return 'trusted';
  if (refused.has(o)) return 'untrusted';
  throw new LoginFileError(
    `${where}: outcome ${JSON.stringify(outcome)} is neither a success (${[...honoured].slice(0, 4).join(', ')}…) nor a failure (${[...refused].slice(0, 4).join(', ')}…)`,
  );
}

/**
 * `vigil import --input F [--format jsonl|csv] [--project ID]`: backfills users' history from past logins
 * (user, time, IP, user agent, optional outcome), so a new deployment is not cold. Each login is judged as
 * `vigil replay` judges it, in time order; one with a success outcome is learned into the familiar set
 * whatever it scores, one with a failure never is. The whole file is read and checked before anything is
 * written.
 */
export async function importLogins(config: Config, args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { input: { type: 'string' }, format: { type: 'string' }, project: { type: 'string' }, json: { type: 'boolean', default: false } });
  if (!values.input) throw new UsageError('usage: vigil import --input LOGINS.jsonl|LOGINS.csv [--format jsonl|csv] [--project ID]');
  const format = values.format ?? (values.input.toLowerCase().endsWith('.csv') ? 'csv' : 'jsonl');
  if (format !== 'jsonl' && format !== 'csv') throw new UsageError('--format is jsonl or csv');
  let logins: LoginEvent[];
  let trusts: ('trusted' | 'untrusted' | undefined)[];
  try {
    logins = await readLogins(values.input, format);
    trusts = logins.map((l, n) => knownTrust(l.outcome, `${values.input}: login ${n + 1}`));
  } catch (err) {
    if (!(err instanceof LoginFileError)) throw err;
    io.err(`vigil import: ${err.message} (nothing was imported)`);
    return 1;
  }
  // Time order, the file's order among equal times: each login is judged by what came before it.
  const order = logins.map((_, n) => n).sort((a, b) => logins[a]!.at - logins[b]!.at || a - b);
  const summary = await withStore(config, async (store) => {
    const project = await pickProject(store, values.project);
    const replayer = new Replayer(Intel.load({ referenceDir: config.referenceDir }), { learning: 'allowed', retentionMs: retentionMsOf({ config }, project) });
    for (const n of order) replayer.evaluate(logins[n]!, trusts[n]);
    let users = 0;
    let learned = 0;
    for (const [externalId, u] of replayer.profiles()) {
      await store.familiarity.importUser(project.id, { externalId, firstSeenAt: u.firstSeenAt, lastSeenAt: u.lastSeenAt, ips: u.ips, familiarity: u.familiarity });
      users++;
      learned += u.familiarity?.trustedLogins ?? 0;
    }
    return { project: project.id, logins: logins.length, users, learned };
  });
  if (values.json) io.out(JSON.stringify(summary));
  else io.out(`Imported ${summary.logins} logins of ${summary.users} users into ${summary.project}: ${summary.learned} learned as trusted, the rest held apart or refused.`);
  return 0;
}
