import { type Decision, decide, type Effect, eventCountKey, eventCountParamsOf, listValuesOf, parseWindow, riskTablesFor } from '@vigil/core';
import { ipInCidr } from '@vigil/intel';
import { type Environment, type EvaluationRecord, evaluationSubjects, type Metadata, newId, type Project } from '@vigil/store';
import { signChallengeLink } from '../challenges/link.js';
import type { Deps } from './deps.js';
import { retentionMsOf } from './retention.js';
import { announceChallenge } from './challenges/announce.js';
import { announceEvaluation } from './evaluation-events.js';

export interface EvaluateRequest {
  project: Project;
  environment: Environment;
  channel: 'client' | 'server';
  action: string;
  user: { id: string; email: string | null; phone: string | null };
  metadata: Metadata;
  ip: string | null;
  userAgent: string | null;
  fingerprint: string | null;
  origin: string | null;
  /** The browser's first-party device cookie (client channel), or null. */
  deviceCookieId: string | null;
  /** The nonce the browser presented (client channel); undefined when it sent none. */
  nonce?: string | undefined;
  /** navigator.maxTouchPoints, from the SDK's signals: tells an iPad from the Mac it claims to be. */
  touchPoints?: number | null;
  /** The Sec-CH-UA-Mobile client hint, when the browser sent it. */
  mobileHint?: boolean | null;
  /** The SDK's signals by collector (client channel). */
  signals?: Record<string, unknown>;
}

type OpenChallenge = Extract<Effect, { type: 'open_challenge' }>;

/** The longest an evaluation waits for a domain's first accept-all probe. */
const ACCEPT_ALL_WAIT_MS = 300;

/** The challenge as the evaluation shows it; the hosted page and its lifecycle build on this record. */
function presentableChallenge(id: string, effect: OpenChallenge) {
  const { kind, type: method, channels = [], reasons } = effect.challenge;
  return { id, type: kind, method, status: 'created' as const, channels, reasons };
}

/**
 * The one use case every evaluation goes through (ARCHITECTURE.md, docs/architecture.md): policies and
 * what intel knows first, then nonce, history, lists, decide, and the evaluation and the decision's
 * effects recorded, as one unit of work with no other evaluation of the same subjects in between.
 */
export async function evaluate(deps: Deps, req: EvaluateRequest): Promise<EvaluationRecord> {
  const { store } = deps;
  const policies = await deps.policies.get(req.project.id, req.environment);
  // Only the velocity counts the policies ask for are counted, each with its own window.
  const eventCounts = eventCountParamsOf(policies).map((params) => ({
    key: eventCountKey(params),
    action: params.action,
    windowMs: parseWindow(params.window) ?? 0,
    by: params.by,
  }));
  // What the reference data says of the IP, email, phone and user agent (lists, place); what intel does
  // not know stays null, and the checks that need it absent (never guessed). Nothing here needs history.
  const { facts, ipInfo } = deps.intel.facts(
    { ip: req.ip, email: req.user.email, phone: req.user.phone, userAgent: req.userAgent, hints: { touchPoints: req.touchPoints ?? null, mobile: req.mobileHint ?? null } },
    deps.now(),
  );
  // Whether the email's domain can receive mail, when DNS lookups are on (VIGIL_DNS): null if DNS is slow.
  // And whether it takes mail for any address (VIGIL_SMTP_PROBE): a domain's first probe may take longer
  // than an evaluation waits, so that evaluation says null and the next ones read the answer.
  if (deps.mailExchanger && facts.email?.valid && req.user.email) {
    const host = req.user.email.slice(req.user.email.lastIndexOf('@') + 1).toLowerCase();
    const [hasMailExchanger, acceptAll] = await Promise.all([deps.mailExchanger.has(host), deps.acceptAll?.answer(host, ACCEPT_ALL_WAIT_MS) ?? null]);
    facts.email = { ...facts.email, hasMailExchanger, acceptAll };
  }
  const retentionMs = retentionMsOf(deps, req.project);
  const subjects = evaluationSubjects(req.project.id, { user: req.user.id, ip: req.ip, fingerprint: req.fingerprint, deviceCookieId: req.deviceCookieId });

  // From the nonce to the record, nothing else about these subjects happens in between (Store.evaluating).
  const { recorded, challengeId, effects } = await store.evaluating(subjects, async (scope) => {
    // The evaluation's time is when it runs, not when it arrived: an evaluation that waited for another
    // of the same subjects comes after it, and counts it, as in a serial run.
    const now = deps.now();
    const nonce =
      req.channel !== 'client'
        ? undefined
        : req.nonce === undefined || req.nonce === ''
          ? ('missing' as const)
          : await scope.nonces.redeem({ projectId: req.project.id, nonce: req.nonce, deviceCookieId: req.deviceCookieId, now });

    const { snapshot, ids, listCount, lastSightings } = await scope.history.load({
      projectId: req.project.id,
      userExternalId: req.user.id,
      ip: req.ip,
      fingerprintHash: req.fingerprint,
      deviceCookieId: req.deviceCookieId,
      origin: req.origin,
      eventCounts,
      now,
      retentionMs,
    });

    // Ids are allocated here, before the decision, so that checks and list effects can name a new device.
    const deviceId = ids.deviceId ?? (req.deviceCookieId ? newId('dv', now) : null);
    const fingerprintId = ids.fingerprintId ?? (req.fingerprint ? newId('fp', now) : null);
    const location = facts.ip?.location ?? null;
    // Named, not spread with two more properties (docs/architecture.md, "Object spreads").
    const place = location
      ? {
          latitude: location.latitude,
          longitude: location.longitude,
          accuracyKm: location.accuracyKm,
          precision: location.precision,
          country: facts.ip?.country ?? null,
          ipType: facts.ip?.type ?? null,
        }
      : null;
    const evaluation = {
      action: req.action,
      channel: req.channel,
      user: req.user,
      metadata: req.metadata,
      ip: req.ip,
      userAgent: req.userAgent,
      fingerprint: req.fingerprint,
      fingerprintId,
      deviceId,
      origin: req.origin,
      hasDeviceCookie: req.deviceCookieId !== null,
      ...(nonce === undefined ? {} : { nonce }),
      ...(req.signals === undefined ? {} : { signals: req.signals }),
    };
    // Most projects have no list: the history said how many with the ids, so those read nothing more.
    const lists =
      listCount === 0
        ? []
        : await scope.lists.membership(
            req.project.id,
            () => listValuesOf(evaluation, facts),
            now,
            (cidr) => req.ip !== null && ipInCidr(req.ip, cidr),
          );

    const decision: Decision = decide({
      evaluation,
      facts,
      history: { ...snapshot, lists },
      policies,
      risks: riskTablesFor(req.project.riskOverrides),
      now,
      options: { retentionMs },
    });

    const id = newId('ev', now);
    const opening = decision.effects.find((e): e is OpenChallenge => e.type === 'open_challenge');
    const challengeId = opening ? newId('ch', now) : null;
    const redirect = challengeId ? signChallengeLink({ publicUrl: deps.publicUrl(), secret: await scope.instanceSecrets.get('challenge_links', now), challengeId, now }) : null;

    const recorded = await scope.record({
      id,
      projectId: req.project.id,
      environment: req.environment,
      channel: req.channel,
      action: req.action,
      user: { externalId: req.user.id, email: req.user.email, phone: req.user.phone },
      deviceCookieId: req.deviceCookieId,
      deviceId,
      ...(ids.relinked ? { relinkedDevice: true } : {}),
      deviceClass: facts.userAgent?.deviceClass ?? null,
      fingerprintHash: req.fingerprint,
      fingerprintId,
      ip: req.ip,
      userAgent: req.userAgent,
      origin: req.origin,
      lastSightings,
      place,
      ipInfo: ipInfo as Record<string, unknown> | null,
      metadata: req.metadata,
      verdict: decision.verdict,
      checks: decision.explanation.checks,
      reasons: decision.explanation.reasons,
      risks: decision.explanation.risks,
      policy: decision.explanation.policy,
      challenge: opening && challengeId ? presentableChallenge(challengeId, opening) : null,
      redirect,
      effects: decision.effects,
      familiarity: snapshot.familiarity,
      now,
    });
    return { recorded, challengeId, effects: decision.effects };
  });
  // Announced once committed: a webhook never tells of a challenge, or anything, that was rolled back.
  if (challengeId) await announceChallenge(deps, challengeId, 'challenge.initiated');
  await announceEvaluation(deps, recorded, effects);
  return recorded;
}
