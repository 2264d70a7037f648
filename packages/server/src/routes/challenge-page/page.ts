import type { ChallengeRecord } from '@vigil/store';
import type { FastifyReply } from 'fastify';
import { verifyChallengeToken } from '../../challenges/link.js';
import { maskDestination } from '../../challenges/verification.js';
import { activeDevices as devicesInUse, type Channel, channelFor, channelsOf, deviceLimitOf } from '../../use-cases/challenges/index.js';
import type { Deps } from '../../use-cases/deps.js';
import { classifyUserAgent } from '@vigil/intel';
import { type PageState, renderPage } from './html.js';

const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  // The signed link is in the URL: never send it on as a referrer, never cache the page.
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' https: http:; frame-ancestors 'none'; base-uri 'none'",
};

/**
 * What every step of the hosted challenge page shares: opening the challenge its signed link names (or
 * answering the page that says why not), the page's state for the challenge as it now is, and sending it.
 */
export function hostedPage(deps: Deps) {
  const send = (reply: FastifyReply, status: number, state: PageState) => reply.code(status).headers(HEADERS).send(renderPage(state));

  /** The challenge the signed link opens, or the page that says why it does not. */
  const open = async (id: string, token: unknown, reply: FastifyReply, returnTo?: unknown) => {
    const base = { challengeId: id, token: typeof token === 'string' ? token : '', channels: [] as Channel[] };
    const challenge = id.length <= 64 ? await deps.store.challenges.findById(id) : null;
    const verdict =
      challenge && typeof token === 'string'
        ? verifyChallengeToken({ secret: await deps.store.instanceSecrets.get('challenge_links', deps.now()), challengeId: id, token, now: deps.now() })
        : 'invalid';
    if (!challenge || verdict !== 'valid') {
      await send(reply, 403, {
        ...base,
        projectName: 'Verification',
        view: 'link_invalid',
        alert: verdict === 'expired' ? 'This link has expired. Go back to the application and try again.' : 'This link is not valid. Go back to the application and try again.',
      });
      return null;
    }
    const [project, evaluation] = await Promise.all([deps.store.projects.findById(challenge.projectId), deps.store.evaluations.find(challenge.projectId, challenge.evaluationId)]);
    const returnOrigins = returnOriginsOf(project?.allowedOrigins ?? [], evaluation?.origin ?? null);
    return { challenge, projectName: project?.name ?? 'Verification', returnTo: returnUrl(returnTo, returnOrigins) };
  };

  const stateOf = async ({ challenge, projectName, returnTo }: Opened, token: string, extra: Partial<PageState> = {}): Promise<PageState> => {
    const fresh = (await deps.store.challenges.findById(challenge.id)) ?? challenge;
    const code = await deps.store.challenges.code(challenge.id);
    const channels = channelsOf(deps, challenge);
    const destination = code ? code.destination : channelFor(deps, challenge) === 'email' ? challenge.contact.email : challenge.contact.phone;
    // Access protection: back to the page the user was on; otherwise the policy's success URL.
    const successUrl = returnTo ?? (typeof challenge.config.success_url === 'string' ? withEvaluation(challenge.config.success_url, challenge.evaluationId) : undefined);
    const closed =
      fresh.status === 'completed' || fresh.status === 'verified'
        ? 'completed'
        : fresh.status === 'failed' || fresh.status === 'skipped' || fresh.status === 'overridden'
          ? fresh.status
          : null;
    const view: PageState['view'] = closed ?? (fresh.method === 'device_limit' ? 'devices' : code ? 'enter_code' : 'send');
    return {
      projectName,
      challengeId: challenge.id,
      token,
      ...(returnTo ? { returnTo } : {}),
      ...(challenge.config.allow_skip === true && fresh.method === 'verification' ? { allowSkip: true } : {}),
      channels,
      view,
      ...(destination ? { destination: maskDestination(destination) } : {}),
      ...(successUrl ? { successUrl } : {}),
      ...(view === 'devices'
        ? {
            devices: await activeDevices(challenge),
            deviceLimit: deviceLimitOf(challenge),
            ...(typeof challenge.config.success_url === 'string' ? { ownAccountUrl: withEvaluation(challenge.config.success_url, challenge.evaluationId) } : {}),
          }
        : {}),
      ...extra,
    };
  };

  /** The account's devices in use: seen within 30 days and not logged out. */
  const activeDevices = async (challenge: ChallengeRecord) => {
    return (await devicesInUse(deps, challenge)).map((d) => {
      const ua = d.userAgent ? classifyUserAgent(d.userAgent) : null;
      const kind = d.deviceClass === 'mobile' ? 'Phone' : d.deviceClass === 'tablet' ? 'Tablet' : d.deviceClass === 'computer' ? 'Computer' : 'Device';
      const label = [kind, ua?.browser && `${ua.browser}`, ua?.os && `on ${ua.os}`].filter(Boolean).join(' · ').replace(' · on', ' on');
      const place = d.lastLocation
        ? `near ${Math.abs(d.lastLocation.latitude).toFixed(1)}°${d.lastLocation.latitude >= 0 ? 'N' : 'S'} ${Math.abs(d.lastLocation.longitude).toFixed(1)}°${d.lastLocation.longitude >= 0 ? 'E' : 'W'}`
        : null;
      return { id: d.id, label, place, lastSeen: `${new Date(d.lastSeenAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`, current: d.id === challenge.deviceId };
    });
  };
  return { send, open, stateOf, activeDevices };
}

export type Opened = { challenge: ChallengeRecord; projectName: string; returnTo: string | undefined };

/**
 * The origins access protection may return the user to. The page the user was on is known when the
 * evaluation is made: the browser's `Origin`, recorded with the evaluation the challenge belongs to (on
 * the server, where no link can change it). A project that lists allowed origins returns only to one of
 * them that is also that origin; one that lists none (the default project), only to that origin.
 */
function returnOriginsOf(allowedOrigins: string[], evaluatedFrom: string | null): string[] {
  let origin: string | null = null;
  try {
    origin = evaluatedFrom ? new URL(evaluatedFrom).origin.toLowerCase() : null;
  } catch {
    origin = null;
  }
  if (origin === null || origin === 'null') return [];
  return allowedOrigins.length === 0 || allowedOrigins.includes(origin) ? [origin] : [];
}

/**
 * Where access protection returns the user (`r`, the page the SDK left): a page of the origin the
 * evaluation came from (returnOriginsOf), never anywhere else: a signed link with a planted `r` must not
 * become an open redirect.
 */
function returnUrl(value: unknown, origins: string[]): string | undefined {
  if (typeof value !== 'string' || value.length > 2048 || origins.length === 0) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    return origins.includes(url.origin.toLowerCase()) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** The policy's success URL with the evaluation's id, so the application knows which login to finish. */
function withEvaluation(successUrl: string, evaluationId: string): string | undefined {
  try {
    const url = new URL(successUrl);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    url.searchParams.set('evaluation', evaluationId);
    return url.href;
  } catch {
    return undefined;
  }
}

export type HostedPage = ReturnType<typeof hostedPage>;
