import { ConfigError, type Config, loadConfig } from '../config/config.js';
import { AppError } from '../errors/codes.js';
import { UsageError } from './args.js';
import { dataUpdate } from './commands/data.js';
import { keyRotate } from './commands/key-rotate.js';
import { lookup } from './commands/lookup.js';
import { migrate } from './commands/migrate.js';
import { projectCreate, projectList } from './commands/project.js';
import { replay } from './commands/replay.js';
import { importLogins } from './commands/import.js';
import { start } from './commands/start.js';
import { nodes } from './commands/nodes.js';

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const usage = `Usage: vigil <command> [options]

Commands:
  start                                   start the server (creates a default project on first start)
  migrate                                 bring the database schema up to date, then exit
  nodes [--json]                          the servers running on this database (their heartbeats of the last 15 s)
  project create --name NAME [--origin URL]... [--json]
                                          create a project and print its client id and secret key
  project list [--json]                   list projects (id, name, client id, allowed origins)
  key rotate [--project ID] [--environment production|development] [--grace 24h] [--json]
                                          issue a new secret key; the old one stops working after --grace (default 0)
  data update [--from URL] [--json]       refresh the reference lists (Tor, VPN, hosting, email...) from upstream
                                          into <data dir>/reference; a running server reloads them
  lookup ip|email|ua|phone [VALUE]...     what Vigil knows of each value, one JSON object a line (values
                                          from standard input when none are given); exit 1 if any was invalid
  import --input F [--format jsonl|csv] [--project ID] [--json]
                                          backfill users' history from past logins (user, ts, ip, ua, optional
                                          outcome) so a new deployment is not cold; nothing is written if a line is bad
  replay --input F --output G [--learning allowed|trusted|every]
                                          evaluate a JSONL login stream ({"i","ts","user","ip","ua"}, sorted by
                                          ts) offline, each at its own time; one {"i","score","severity"} line each

The database is the one the server uses: SQLite in VIGIL_DATA_DIR (default ./data), or DATABASE_URL.
Configuration: see the README's configuration table.`;

type Command = (config: Config, args: string[], io: Io) => Promise<number>;

const commands: Record<string, Command> = {
  start,
  migrate,
  nodes,
  'project create': projectCreate,
  'project list': projectList,
  'key rotate': keyRotate,
  lookup,
  'data update': dataUpdate,
  replay,
  import: importLogins,
};

const defaultIo: Io = { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`) };

/** Runs one CLI command; returns the exit code (0 ok, 1 failed, 2 bad usage or configuration). */
export async function main(argv: string[], env: Record<string, string | undefined> = process.env, io: Io = defaultIo): Promise<number> {
  if (argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') {
    io.out(usage);
    return argv.length === 0 ? 2 : 0;
  }
  const name = [`${argv[0]} ${argv[1] ?? ''}`, argv[0] ?? ''].find((candidate) => candidate in commands);
  if (name === undefined) {
    io.err(`vigil: unknown command ${JSON.stringify(argv.slice(0, 2).join(' '))}\n\n${usage}`);
    return 2;
  }
  const rest = argv.slice(name.split(' ').length);
  try {
    const config = loadConfig(env);
    return await commands[name]!(config, rest, io);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof UsageError || err instanceof AppError) {
      io.err(`vigil ${name}: ${err.message}`);
      return err instanceof AppError ? 1 : 2;
    }
    io.err(`vigil ${name}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}
