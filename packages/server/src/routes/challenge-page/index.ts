import type { ChallengeRecord } from '@vigil/store';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { verifyChallengeToken } from '../../challenges/link.js';
import { CLOSED_STATUSES, maskDestination } from '../../challenges/verification.js';
import { AppError } from '../../errors/codes.js';
import { type Channel, channelFor, presentChallenge, sendChallengeCode, verifyChallengeCode } from '../../use-cases/challenge-verification.js';
import type { Deps } from '../../use-cases/deps.js';
import { announceChallenge } from '../../use-cases/evaluate.js';
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
 * The hosted challenge page, `/challenge/{id}?t=<signed token>`: the user verifies by a code sent by
 * email or SMS. Forms post back here (urlencoded, parsed for these routes only); every answer is HTML.
 */
export function challengePageRoutes(deps: Deps) {
  return async (app: FastifyInstance) => {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });

    const send = (reply: FastifyReply, status: number, state: PageState) => reply.code(status).headers(HEADERS).send(renderPage(state));

    /** The challenge the signed link opens, or the page that says why it does not. */
    const open = async (id: string, token: unknown, reply: FastifyReply, returnTo?: unknown) => {
      const base = { challengeId: id, token: typeof token === 'string' ? token : '', channels: [] as Channel[] };
      const challenge = id.length <= 64 ? await deps.store.challenges.findById(id) : null;
      const verdict = challenge && typeof token === 'string' ? verifyChallengeToken({ secret: await deps.store.instanceSecrets.get('challenge_links', deps.now()), challengeId: id, token, now: deps.now() }) : 'invalid';
      if (!challenge || verdict !== 'valid') {
        await send(reply, 403, { ...base, projectName: 'Verification', view: 'link_invalid', alert: verdict === 'expired' ? 'This link has expired. Go back to the application and try again.' : 'This link is not valid. Go back to the application and try again.' });
        return null;
      }
      const project = await deps.store.projects.findById(challenge.projectId);
      return { challenge, projectName: project?.name ?? 'Verification', returnTo: returnUrl(returnTo, project?.allowedOrigins ?? []) };
    };

    const stateOf = async ({ challenge, projectName, returnTo }: Opened, token: string, extra: Partial<PageState> = {}): Promise<PageState> => {
      const fresh = (await deps.store.challenges.findById(challenge.id)) ?? challenge;
      const code = await deps.store.challenges.code(challenge.id);
      const contact = await deps.store.challenges.contact(challenge.userId);
      const channels = [...new Set(challenge.channels.map((c) => (c === 'text' ? 'sms' : c)))].filter((c): c is Channel => c === 'email' || c === 'sms');
      const destination = code ? code.destination : channelFor(challenge) === 'email' ? contact?.email : contact?.phone;
      // Access protection: back to the page the user was on; otherwise the policy's success URL.
      const successUrl = returnTo ?? (typeof challenge.config.success_url === 'string' ? withEvaluation(challenge.config.success_url, challenge.evaluationId) : undefined);
      const closed = fresh.status === 'completed' || fresh.status === 'verified' ? 'completed' : fresh.status === 'failed' || fresh.status === 'skipped' || fresh.status === 'overridden' ? fresh.status : null;
      const view: PageState['view'] = closed ?? (fresh.method === 'device_limit' ? 'devices' : code ? 'enter_code' : 'send');
      return {
        projectName,
        challengeId: challenge.id,
        token,
        ...(returnTo ? { returnTo } : {}),
        ...(challenge.config.allow_skip === true && fresh.method === 'verification' ? { allowSkip: true } : {}),
        channels: channels.length > 0 ? channels : ['email'],
        view,
        ...(destination ? { destination: maskDestination(destination) } : {}),
        ...(successUrl ? { successUrl } : {}),
        ...(view === 'devices' ? { devices: await activeDevices(challenge), deviceLimit: deviceLimitOf(challenge), ...(typeof challenge.config.success_url === 'string' ? { ownAccountUrl: withEvaluation(challenge.config.success_url, challenge.evaluationId) } : {}) } : {}),
        ...extra,
      };
    };

    /** The account's devices in use: seen within 30 days and not logged out. */
    const activeDevices = async (challenge: ChallengeRecord) => {
      const since = deps.now() - ACTIVE_DEVICE_MS;
      return (await deps.store.users.devices(challenge.userId))
        .filter((d) => !d.loggedOut && d.lastSeenAt >= since)
        .map((d) => {
          const ua = d.userAgent ? classifyUserAgent(d.userAgent) : null;
          const kind = d.deviceClass === 'mobile' ? 'Phone' : d.deviceClass === 'tablet' ? 'Tablet' : d.deviceClass === 'computer' ? 'Computer' : 'Device';
          const label = [kind, ua?.browser && `${ua.browser}`, ua?.os && `on ${ua.os}`].filter(Boolean).join(' · ').replace(' · on', ' on');
          const place = d.lastLocation ? `near ${Math.abs(d.lastLocation.latitude).toFixed(1)}°${d.lastLocation.latitude >= 0 ? 'N' : 'S'} ${Math.abs(d.lastLocation.longitude).toFixed(1)}°${d.lastLocation.longitude >= 0 ? 'E' : 'W'}` : null;
          return { id: d.id, label, place, lastSeen: new Date(d.lastSeenAt).toISOString().slice(0, 16).replace('T', ' ') + ' UTC', current: d.id === challenge.deviceId };
        });
    };

    app.post<{ Params: { id: string }; Body: Record<string, string> | undefined }>('/challenge/:id/logout', async (request, reply) => {
      const token = request.body?.t;
      const opened = await open(request.params.id, token, reply, request.body?.r);
      if (!opened) return reply;
      const fresh = (await deps.store.challenges.findById(opened.challenge.id)) ?? opened.challenge;
      const device = String(request.body?.device ?? '');
      const devices = await activeDevices(fresh);
      if (fresh.method !== 'device_limit' || fresh.status === 'completed' || fresh.status === 'failed') return send(reply, 409, await stateOf(opened, token!));
      const target = devices.find((d) => d.id === device && !d.current);
      if (!target) return send(reply, 422, await stateOf(opened, token!, { alert: 'That device cannot be logged out from here.' }));
      const logoutUrl = typeof fresh.config.logout_url === 'string' ? fresh.config.logout_url : null;
      await deps.store.users.logOutDevice(fresh.userId, target.id, logoutUrl, deps.now());
      if (devices.length - 1 <= deviceLimitOf(fresh)) {
        await deps.store.challenges.setStatus(fresh.id, 'completed', deps.now());
        await announceChallenge(deps, fresh.id, 'challenge.completed');
      }
      return send(reply, 200, await stateOf(opened, token!, { notice: `${target.label} was logged out.` }));
    });

    // Only where the policy allows it (`allow_skip`): the challenge ends `skipped` and the user goes on;
    // the backend sees the status when it confirms and decides.
    app.post<{ Params: { id: string }; Body: Record<string, string> | undefined }>('/challenge/:id/skip', async (request, reply) => {
      const token = request.body?.t;
      const opened = await open(request.params.id, token, reply, request.body?.r);
      if (!opened) return reply;
      const fresh = (await deps.store.challenges.findById(opened.challenge.id)) ?? opened.challenge;
      if (fresh.config.allow_skip !== true || fresh.method !== 'verification') return send(reply, 403, await stateOf(opened, token!, { alert: 'This verification cannot be skipped.' }));
      if (CLOSED_STATUSES.has(fresh.status) || fresh.status === 'verified') return send(reply, 409, await stateOf(opened, token!));
      await deps.store.challenges.setStatus(fresh.id, 'skipped', deps.now());
      const state = await stateOf(opened, token!);
      if (state.successUrl) return reply.code(303).header('location', state.successUrl).header('referrer-policy', 'no-referrer').send();
      return send(reply, 200, state);
    });

    app.get<{ Params: { id: string }; Querystring: { t?: string; r?: string } }>('/challenge/:id', async (request, reply) => {
      const opened = await open(request.params.id, request.query.t, reply, request.query.r);
      if (!opened) return reply;
      await presentChallenge(deps, opened.challenge);
      return send(reply, 200, await stateOf(opened, request.query.t!));
    });

    app.post<{ Params: { id: string }; Body: Record<string, string> | undefined }>('/challenge/:id/send', async (request, reply) => {
      const token = request.body?.t;
      const opened = await open(request.params.id, token, reply, request.body?.r);
      if (!opened) return reply;
      const { challenge, projectName } = opened;
      try {
        const { destination } = await sendChallengeCode(deps, challenge, channelFor(challenge, request.body?.channel), projectName);
        return send(reply, 200, await stateOf(opened, token!, { view: 'enter_code', notice: `We sent a code to ${maskDestination(destination)}. It expires in 10 minutes.` }));
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        return send(reply, error.status, await stateOf(opened, token!, { alert: error.message }));
      }
    });

    app.post<{ Params: { id: string }; Body: Record<string, string> | undefined }>('/challenge/:id/verify', async (request, reply) => {
      const token = request.body?.t;
      const opened = await open(request.params.id, token, reply, request.body?.r);
      if (!opened) return reply;
      const { challenge, projectName } = opened;
      const given = String(request.body?.code ?? '');
      if (!/^\s*\d{6}\s*$/.test(given)) return send(reply, 422, await stateOf(opened, token!, { alert: 'Enter the 6 digits of the code.' }));
      const result = await verifyChallengeCode(deps, challenge, given, { complete: true });
      const state = await stateOf(opened, token!);
      switch (result.outcome) {
        case 'passed':
          if (state.successUrl) return reply.code(303).header('location', state.successUrl).header('referrer-policy', 'no-referrer').send();
          return send(reply, 200, state);
        case 'wrong':
          return send(reply, 422, { ...state, alert: `That code is not right. ${result.attemptsLeft} attempt${result.attemptsLeft === 1 ? '' : 's'} left.` });
        case 'failed':
          return send(reply, 422, { ...state, view: 'failed', alert: 'The code was wrong five times.' });
        case 'expired':
          return send(reply, 410, { ...state, alert: 'That code has expired. Send a new one.' });
        case 'no_code':
          return send(reply, 409, { ...state, alert: 'Send a code first.' });
        case 'closed':
          return send(reply, 409, state);
      }
    });
  };
}

type Opened = { challenge: ChallengeRecord; projectName: string; returnTo: string | undefined };

/**
 * Where access protection returns the user (`r`, the page the SDK left): only to one of the project's
 * allowed origins, never anywhere else (a signed link with a planted `r` must not become an open
 * redirect), and never when the project allows any origin.
 */
function returnUrl(value: unknown, allowedOrigins: string[]): string | undefined {
  if (typeof value !== 'string' || value.length > 2048 || allowedOrigins.length === 0) return undefined;
  try {
    const url = new URL(value);
    return allowedOrigins.includes(url.origin.toLowerCase()) ? url.href : undefined;
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

/** Devices seen within this long count as in use (the device-count checks' window). */
const ACTIVE_DEVICE_MS = 30 * 86_400_000;

function deviceLimitOf(challenge: ChallengeRecord): number {
  const limit = challenge.config.device_limit;
  return typeof limit === 'number' && limit >= 1 ? limit : 1;
}
