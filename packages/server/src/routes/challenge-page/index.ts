import type { ChallengeRecord } from '@vigil/store';
import { LogOutForm, OpenPageQuery, PageParams, pageResponses, SendForm, SkipForm, VerifyForm } from '../../schemas/hosted-page.js';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { verifyChallengeToken } from '../../challenges/link.js';
import { maskDestination } from '../../challenges/verification.js';
import { AppError } from '../../errors/codes.js';
import {
  activeDevices as devicesInUse,
  type Channel,
  channelFor,
  channelsOf,
  deviceLimitOf,
  logOutDevice,
  presentChallenge,
  sendChallengeCode,
  skipChallenge,
  verifyChallengeCode,
} from '../../use-cases/challenges/index.js';
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
 * The hosted challenge page, `/challenge/{id}?t=<signed token>`: the user verifies by a code sent by
 * email or SMS. Forms post back here (urlencoded, parsed for these routes only); every answer is HTML.
 */
export function challengePageRoutes(deps: Deps) {
  // The page's forms post without JavaScript, urlencoded.
  const FORM = ['application/x-www-form-urlencoded'];
  return async (app: FastifyInstance) => {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });

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
      const [project, evaluation] = await Promise.all([
        deps.store.projects.findById(challenge.projectId),
        deps.store.evaluations.find(challenge.projectId, challenge.evaluationId),
      ]);
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

    app.post<{ Params: { id: string }; Body: Record<string, string> | undefined }>(
      '/challenge/:id/logout',
      {
        schema: {
          tags: ['challenge page'],
          operationId: 'challengePageLogOutDevice',
          summary: "Log one of the account's devices out (device limit), from the hosted challenge page's form; answers HTML",
          consumes: FORM,
          params: PageParams,
          body: LogOutForm,
          response: pageResponses({ 409: 'The challenge is closed', 422: 'That device cannot be logged out from here' }),
        },
      },
      async (request, reply) => {
        const token = request.body?.t;
        const opened = await open(request.params.id, token, reply, request.body?.r);
        if (!opened) return reply;
        const fresh = (await deps.store.challenges.findById(opened.challenge.id)) ?? opened.challenge;
        const device = String(request.body?.device ?? '').slice(0, 64);
        const label = (await activeDevices(fresh)).find((d) => d.id === device)?.label ?? 'The device';
        try {
          await logOutDevice(deps, fresh, device);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          if (error.code === 'VALIDATION_ERROR') return send(reply, 422, await stateOf(opened, token!, { alert: 'That device cannot be logged out from here.' }));
          if (error.code === 'CHALLENGE_CLOSED') return send(reply, 409, await stateOf(opened, token!));
          return send(reply, error.status, await stateOf(opened, token!, { alert: error.message }));
        }
        return send(reply, 200, await stateOf(opened, token!, { notice: `${label} was logged out.` }));
      },
    );

    // Only where the policy allows it (`allow_skip`): the challenge ends `skipped` and the user goes on;
    // the backend sees the status when it confirms and decides.
    app.post<{ Params: { id: string }; Body: Record<string, string> | undefined }>(
      '/challenge/:id/skip',
      {
        schema: {
          tags: ['challenge page'],
          operationId: 'challengePageSkip',
          summary: 'Skip the verification where the policy allows it (allow_skip); answers HTML or a redirect',
          consumes: FORM,
          params: PageParams,
          body: SkipForm,
          response: pageResponses({ 303: "Skipped: on to the policy's success URL", 409: 'The challenge is closed' }),
        },
      },
      async (request, reply) => {
        const token = request.body?.t;
        const opened = await open(request.params.id, token, reply, request.body?.r);
        if (!opened) return reply;
        const fresh = (await deps.store.challenges.findById(opened.challenge.id)) ?? opened.challenge;
        if (fresh.config.allow_skip !== true || fresh.method !== 'verification')
          return send(reply, 403, await stateOf(opened, token!, { alert: 'This verification cannot be skipped.' }));
        try {
          await skipChallenge(deps, fresh);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          return send(reply, error.status, await stateOf(opened, token!, error.code === 'CHALLENGE_CLOSED' ? {} : { alert: error.message }));
        }
        const state = await stateOf(opened, token!);
        if (state.successUrl) return reply.code(303).header('location', state.successUrl).header('referrer-policy', 'no-referrer').send();
        return send(reply, 200, state);
      },
    );

    app.get<{ Params: { id: string }; Querystring: { t?: string; r?: string } }>(
      '/challenge/:id',
      {
        schema: {
          tags: ['challenge page'],
          operationId: 'challengePageOpen',
          summary: 'The hosted challenge page the signed link opens (HTML)',
          params: PageParams,
          querystring: OpenPageQuery,
          response: pageResponses({ 409: 'The challenge is closed' }),
        },
      },
      async (request, reply) => {
        const opened = await open(request.params.id, request.query.t, reply, request.query.r);
        if (!opened) return reply;
        try {
          await presentChallenge(deps, opened.challenge);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          return send(reply, error.status, await stateOf(opened, request.query.t!, { alert: error.message }));
        }
        return send(reply, 200, await stateOf(opened, request.query.t!));
      },
    );

    app.post<{ Params: { id: string }; Body: Record<string, string> | undefined }>(
      '/challenge/:id/send',
      {
        schema: {
          tags: ['challenge page'],
          operationId: 'challengePageSendCode',
          summary: "Send the verification code from the hosted challenge page's form; answers HTML",
          consumes: FORM,
          params: PageParams,
          body: SendForm,
          response: pageResponses({ 409: 'Nowhere to send a code, or the challenge is closed', 429: 'Too soon to send another code' }),
        },
      },
      async (request, reply) => {
        const token = request.body?.t;
        const opened = await open(request.params.id, token, reply, request.body?.r);
        if (!opened) return reply;
        const { challenge, projectName } = opened;
        try {
          const { destination } = await sendChallengeCode(deps, challenge, channelFor(deps, challenge, request.body?.channel), projectName);
          return send(reply, 200, await stateOf(opened, token!, { view: 'enter_code', notice: `We sent a code to ${maskDestination(destination)}. It expires in 10 minutes.` }));
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          return send(reply, error.status, await stateOf(opened, token!, { alert: error.message }));
        }
      },
    );

    app.post<{ Params: { id: string }; Body: Record<string, string> | undefined }>(
      '/challenge/:id/verify',
      {
        schema: {
          tags: ['challenge page'],
          operationId: 'challengePageVerifyCode',
          summary: 'Check the code entered on the hosted challenge page; answers HTML or a redirect',
          consumes: FORM,
          params: PageParams,
          body: VerifyForm,
          response: pageResponses({
            303: "Verified: on to the page the user came from, or the policy's success URL",
            409: 'The challenge is closed',
            410: 'The code expired',
            422: 'Not the code, or not 6 digits',
          }),
        },
      },
      async (request, reply) => {
        const token = request.body?.t;
        const opened = await open(request.params.id, token, reply, request.body?.r);
        if (!opened) return reply;
        const { challenge } = opened;
        const given = String(request.body?.code ?? '');
        if (!/^\s*\d{6}\s*$/.test(given)) return send(reply, 422, await stateOf(opened, token!, { alert: 'Enter the 6 digits of the code.' }));
        let result: Awaited<ReturnType<typeof verifyChallengeCode>>;
        try {
          result = await verifyChallengeCode(deps, challenge, given, { complete: true });
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          return send(reply, error.status, await stateOf(opened, token!, { alert: error.message }));
        }
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
      },
    );
  };
}

type Opened = { challenge: ChallengeRecord; projectName: string; returnTo: string | undefined };

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
