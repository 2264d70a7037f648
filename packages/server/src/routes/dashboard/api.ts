import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DailyCounts, type Project, SEVERITIES, type Severity } from '@vigil/store';
import { Type } from 'typebox';
import { AppError } from '../../errors/codes.js';
import { presentEvaluation } from '../../presenters/evaluation.js';
import { presentFamiliarity, traitsOfEvaluation } from '../../presenters/familiarity.js';
import { iso } from '../../presenters/time.js';
import type { Deps } from '../../use-cases/deps.js';
import { getEvaluation } from '../../use-cases/get-evaluation.js';
import { retentionMsOf } from '../../use-cases/retention.js';
import { describeDevice } from './device.js';
import { ErrorReply, Evaluation } from '../../schemas/evaluation.js';
import { ChallengeStatusName, oneOf, VerdictName } from '../../schemas/closed-sets.js';
import { ChallengePage, DevicePage, EvaluationPage, Familiarity, InstanceReply, OverviewReply, RotatedKeyReply, SessionReply } from '../../schemas/dashboard.js';

const DAY_MS = 86_400_000;
const tags = ['dashboard'];
/** The dashboard API's callers: an operator's session (and its CSRF token on writes). */
export const operator = [{ operatorSession: [] }];
/** A page's cursor, `<time ms>_<id>`: the last row of the previous page (the ids themselves hold `_`). */
const Cursor = Type.String({ maxLength: 128, pattern: '^[0-9]+_[A-Za-z0-9_]+$' });
const readCursor = (cursor: string | undefined): { at: number; id: string } | undefined => {
  if (!cursor) return undefined;
  const split = cursor.indexOf('_');
  return { at: Number(cursor.slice(0, split)), id: cursor.slice(split + 1) };
};
const writeCursor = (next: { at: number; id: string } | null) => (next ? `${next.at}_${next.id}` : null);
const ProjectParams = Type.Object({ project: Type.String({ minLength: 1, maxLength: 64 }) });
const EvaluationFilters = Type.Object(
  {
    action: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    verdict: Type.Optional(VerdictName),
    user: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    ip: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    from: Type.Optional(Type.String({ format: 'date-time', maxLength: 64 })),
    to: Type.Optional(Type.String({ format: 'date-time', maxLength: 64 })),
    /** A risk category: evaluations where it rose above low (or to `severity`). */
    risk: Type.Optional(Type.String({ maxLength: 64, pattern: '^[a-z][a-z0-9_]{0,63}$' })),
    /** Evaluations with a risk (`risk`, or any) at this severity or above. */
    // "At least": low is every evaluation, so it is not a filter.
    severity: Type.Optional(oneOf(SEVERITIES.filter((s): s is Exclude<Severity, 'low'> => s !== 'low'))),
    /** The previous page's `next`. */
    after: Type.Optional(Cursor),
    // Query strings are strings (the server never coerces types): digits, checked again below.
    limit: Type.Optional(Type.String({ maxLength: 3, pattern: '^[0-9]{1,3}$' })),
  },
  { additionalProperties: false },
);

/** What the dashboard's pages read: the operator's session and projects, the overview, evaluations. */
export function dashboardApiRoutes(deps: Deps, lookup: { project(id: string): Promise<Project> }): FastifyPluginAsyncTypebox {
  const dailyCounts = new DailyCounts(deps.store);
  return async (app) => {
    app.get(
      '/dashboard/api/session',
      {
        schema: {
          tags,
          operationId: 'dashboardGetSession',
          summary: 'The operator, their CSRF token and the projects',
          security: operator,
          response: { 200: SessionReply, '4xx': ErrorReply },
        },
      },
      async (request) => ({
        operator: { email: request.operatorSession!.operatorEmail },
        csrf: request.operatorSession!.csrfToken,
        projects: (await deps.store.projects.list()).map((p) => ({ id: p.id, name: p.name, client_id: p.clientId, allowed_origins: p.allowedOrigins })),
      }),
    );

    // What the instance is set up with (environment variables, so not editable here): the SMS gateway.
    app.get(
      '/dashboard/api/instance',
      {
        schema: {
          tags,
          operationId: 'dashboardGetInstance',
          summary: "The instance's settings from its environment: SMS gateway, default retention",
          security: operator,
          response: { 200: InstanceReply, '4xx': ErrorReply },
        },
      },
      async () => {
        const { sms } = deps.config;
        return {
          sms:
            sms.adapter === 'twilio'
              ? { gateway: 'twilio' as const, from: sms.from }
              : sms.adapter === 'file'
                ? { gateway: 'file' as const, path: sms.path }
                : { gateway: sms.adapter },
          retention_days: deps.config.retentionMs / DAY_MS,
        };
      },
    );

    app.get(
      '/dashboard/api/projects/:project/overview',
      {
        schema: {
          tags,
          operationId: 'dashboardGetOverview',
          summary: 'Evaluations per day by verdict and highest risk, top reasons, risks by severity',
          security: operator,
          params: ProjectParams,
          querystring: Type.Object({ days: Type.Optional(Type.String({ maxLength: 2, pattern: '^[0-9]{1,2}$' })) }, { additionalProperties: false }),
          response: { 200: OverviewReply, '4xx': ErrorReply },
        },
      },
      async (request) => {
        const project = await lookup.project(request.params.project);
        const days = Number(request.query.days ?? 14);
        if (days < 1 || days > 90) throw new AppError('VALIDATION_ERROR', 'days is from 1 to 90');
        const today = Math.floor(deps.now() / DAY_MS);
        // Only days wholly within retention: older ones are (being) deleted, and their kept counts with them.
        const first = Math.max(today - days + 1, Math.ceil((deps.now() - retentionMsOf(deps, project)) / DAY_MS));
        const counts = await dailyCounts.between(project.id, first, deps.now());
        const byDay = [...counts].map(([day, c]) => ({ date: new Date(day * DAY_MS).toISOString().slice(0, 10), verdicts: c.verdicts, severities: c.severities }));
        const totals: Record<string, number> = {};
        for (const { verdicts } of byDay) for (const [verdict, n] of Object.entries(verdicts)) totals[verdict] = (totals[verdict] ?? 0) + n;
        // What fires most, and how severe risks run, over the latest evaluations (bounded: the page stays fast).
        const recent = (await deps.store.evaluations.search(project.id, { limit: 1000 })).data;
        const reasons: Record<string, number> = {};
        const severities: Record<string, Record<string, number>> = {};
        for (const e of recent) {
          for (const r of e.reasons) reasons[r] = (reasons[r] ?? 0) + 1;
          for (const risk of e.risks) {
            severities[risk.category] ??= {};
            const counts = severities[risk.category]!;
            counts[risk.severity] = (counts[risk.severity] ?? 0) + 1;
          }
        }
        return {
          days: byDay,
          totals,
          sample: recent.length,
          top_reasons: Object.entries(reasons)
            .sort((a, b) => b[1] - a[1])
            .slice(0, 10)
            .map(([reason, count]) => ({ reason, count })),
          risk_severities: severities,
        };
      },
    );

    app.get(
      '/dashboard/api/projects/:project/evaluations',
      {
        schema: {
          tags,
          operationId: 'dashboardListEvaluations',
          summary: 'Evaluations, newest first, filtered, by cursor',
          security: operator,
          params: ProjectParams,
          querystring: EvaluationFilters,
          response: { 200: EvaluationPage, '4xx': ErrorReply },
        },
      },
      async (request) => {
        const project = await lookup.project(request.params.project);
        const q = request.query;
        const time = (value: string | undefined, name: string) => {
          if (value === undefined) return undefined;
          const ms = Date.parse(value);
          if (Number.isNaN(ms)) throw new AppError('VALIDATION_ERROR', `${name} must be a date-time`);
          return ms;
        };
        const after = readCursor(q.after);
        const page = await deps.store.evaluations.search(project.id, {
          ...(q.action ? { action: q.action } : {}),
          ...(q.verdict ? { verdict: q.verdict } : {}),
          ...(q.user ? { user: q.user } : {}),
          ...(q.ip ? { ip: q.ip } : {}),
          ...(q.from ? { from: time(q.from, 'from') } : {}),
          ...(q.to ? { to: time(q.to, 'to') } : {}),
          ...(q.risk || q.severity ? { risk: { ...(q.risk ? { category: q.risk } : {}), atLeast: (q.severity ?? 'medium') as Severity } } : {}),
          ...(after ? { after: { createdAt: after.at, id: after.id } } : {}),
          limit: Math.min(Math.max(Number(q.limit ?? 50), 1), 200),
        });
        return {
          data: page.data.map((e) => ({
            id: e.id,
            created_at: iso(e.createdAt),
            action: e.action,
            verdict: e.verdict,
            user: e.user.externalId,
            ip: e.ip,
            country: (e.ipInfo as { country?: string | null } | null)?.country ?? null,
            policy: e.policy?.name ?? null,
            risks: e.risks.filter((r) => r.severity !== 'low').map((r) => ({ category: r.category, severity: r.severity })),
            reasons: e.reasons,
          })),
          next: writeCursor(page.next && { at: page.next.createdAt, id: page.next.id }),
        };
      },
    );

    app.get(
      '/dashboard/api/projects/:project/challenges',
      {
        schema: {
          tags,
          operationId: 'dashboardListChallenges',
          summary: 'Challenges, newest first, by status, by cursor',
          security: operator,
          params: ProjectParams,
          response: { 200: ChallengePage, '4xx': ErrorReply },
          querystring: Type.Object(
            {
              status: Type.Optional(ChallengeStatusName),
              after: Type.Optional(Cursor),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request) => {
        const project = await lookup.project(request.params.project);
        const after = readCursor(request.query.after);
        const page = await deps.store.challenges.search(project.id, {
          ...(request.query.status ? { status: request.query.status } : {}),
          ...(after ? { after: { createdAt: after.at, id: after.id } } : {}),
          limit: 50,
        });
        return {
          data: page.data.map((c) => ({
            id: c.id,
            created_at: iso(c.createdAt),
            updated_at: iso(c.updatedAt),
            user: c.userExternalId,
            evaluation: c.evaluationId,
            type: c.kind,
            method: c.method,
            channels: c.channels,
            reasons: c.reasons,
            status: c.status,
          })),
          next: writeCursor(page.next && { at: page.next.createdAt, id: page.next.id }),
        };
      },
    );

    app.get(
      '/dashboard/api/projects/:project/devices',
      {
        schema: {
          tags,
          operationId: 'dashboardListDevices',
          summary: 'Devices, most recently used first, with their users',
          security: operator,
          params: ProjectParams,
          querystring: Type.Object({ after: Type.Optional(Cursor) }, { additionalProperties: false }),
          response: { 200: DevicePage, '4xx': ErrorReply },
        },
      },
      async (request) => {
        const project = await lookup.project(request.params.project);
        const after = readCursor(request.query.after);
        const page = await deps.store.devices.search(project.id, { ...(after ? { after: { lastSeenAt: after.at, id: after.id } } : {}), limit: 50 });
        return {
          data: page.data.map((d) => ({
            id: d.id,
            ...describeDevice(d.deviceClass, d.userAgent),
            first_seen_at: iso(d.firstSeenAt),
            last_seen_at: iso(d.lastSeenAt),
            user_count: d.userCount,
            users: d.users,
          })),
          next: writeCursor(page.next && { at: page.next.lastSeenAt, id: page.next.id }),
        };
      },
    );

    // A new secret key, shown once here; the old one keeps working for the grace period (as `vigil key rotate`).
    app.post(
      '/dashboard/api/projects/:project/keys/rotate',
      {
        schema: {
          tags,
          operationId: 'dashboardRotateKey',
          summary: 'A new secret key, shown once; the old one works for grace_hours',
          security: operator,
          params: ProjectParams,
          body: Type.Object({ grace_hours: Type.Integer({ minimum: 0, maximum: 720 }) }, { additionalProperties: false }),
          response: { 200: RotatedKeyReply, '4xx': ErrorReply },
        },
      },
      async (request, reply) => {
        const project = await lookup.project(request.params.project);
        const secretKey = await deps.store.projects.rotateSecretKey({
          projectId: project.id,
          environment: 'production',
          now: deps.now(),
          graceMs: request.body.grace_hours * 3_600_000,
        });
        return reply.header('cache-control', 'no-store').send({ secret_key: secretKey, grace_hours: request.body.grace_hours });
      },
    );

    app.get(
      '/dashboard/api/projects/:project/evaluations/:id',
      {
        schema: {
          tags,
          operationId: 'dashboardGetEvaluation',
          summary: 'An evaluation with its whole explanation (as GET /v3/evaluations/{id})',
          security: operator,
          params: Type.Object({ project: Type.String({ minLength: 1, maxLength: 64 }), id: Type.String({ minLength: 1, maxLength: 64 }) }),
          response: { 200: Evaluation, '4xx': ErrorReply },
        },
      },
      // The operator reads every environment's evaluations.
      async (request) => presentEvaluation(await getEvaluation(deps, await lookup.project(request.params.project), request.params.id, null)),
    );

    // The user's familiar set as it stands (what the ato risk's familiarity checks compare a login with).
    app.get(
      '/dashboard/api/projects/:project/users/:user/familiarity',
      {
        schema: {
          tags,
          operationId: 'dashboardGetUserFamiliarity',
          summary: "What the user's trusted logins looked like: networks and browsers, most frequent first",
          security: operator,
          params: Type.Object({ project: Type.String({ minLength: 1, maxLength: 64 }), user: Type.String({ minLength: 1, maxLength: 256 }) }),
          querystring: Type.Object(
            { evaluation: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "An evaluation whose login's values are flagged (`this_login`)" })) },
            { additionalProperties: false },
          ),
          response: { 200: Familiarity, '4xx': ErrorReply },
        },
      },
      async (request) => {
        const project = await lookup.project(request.params.project);
        const { user } = request.params;
        if (!(await deps.store.users.find(project.id, user))) throw new AppError('USER_NOT_FOUND', `No user ${user} in this project`);
        const [profile, evaluation] = await Promise.all([
          deps.store.familiarity.of(project.id, user),
          request.query.evaluation ? getEvaluation(deps, project, request.query.evaluation, null) : null,
        ]);
        return presentFamiliarity(profile, {
          since: deps.now() - retentionMsOf(deps, project),
          login: evaluation ? traitsOfEvaluation(evaluation) : null,
          orgOf: (asn) => deps.intel.asn.orgOf(asn),
        });
      },
    );
  };
}
