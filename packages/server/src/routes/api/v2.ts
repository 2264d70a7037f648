import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ActionName, ErrorReply, Fingerprint, FingerprintHash, fingerprintHashOf, Metadata, UserId } from '../../schemas/evaluation.js';
import type { Deps } from '../../use-cases/deps.js';
import { evaluateFromBackend } from '../../use-cases/evaluate-from-backend.js';
import { channelFor, codeCheckError, completeChallenge, loadChallenge, sendChallengeCode, verifyChallengeCode } from '../../use-cases/challenges/index.js';
import { ChallengeChannelName, VerdictName } from '../../schemas/closed-sets.js';
import { secured } from './index.js';

// Rupt v2's account-takeover flow on its own paths and shapes (SPEC §1.4), so a backend written for it
// moves over by changing its base URL: evaluate with the page's device hash, then send, verify and
// complete the challenge from the backend's own page.

const tags = ['v2'];
const Params = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const Success = Type.Object({ success: Type.Boolean(), attempts_left: Type.Optional(Type.Integer()) }, { additionalProperties: false });
// The v2 guide reads `const { challenge_id } = await rupt.sendChallengeCode(challenge_id)`.
const Sent = Type.Object({ success: Type.Boolean(), challenge_id: Type.String() }, { additionalProperties: false });

const EvaluateBody = Type.Object(
  {
    action: ActionName,
    user: UserId,
    fingerprint: Type.Optional(Fingerprint),
    last_fingerprint: Type.Optional(Type.Union([FingerprintHash, Type.Null()])),
    version: Type.Optional(Type.String({ maxLength: 32, description: 'The v2 browser SDK version (accepted, not used)' })),
    ip: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    user_agent: Type.Optional(Type.String({ maxLength: 2048 })),
    email: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 320 }), Type.Null()])),
    phone: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 32 }), Type.Null()])),
    metadata: Type.Optional(Metadata),
  },
  { additionalProperties: false },
);
const EvaluateReply = Type.Object(
  {
    verdict: VerdictName,
    fingerprint_id: Type.Union([Type.String(), Type.Null()]),
    reasons: Type.Array(Type.String()),
    challenge_id: Type.Union([Type.String(), Type.Null()]),
    evaluation_id: Type.String({ description: 'Vigil: the evaluation, readable at GET /v3/evaluations/{id}' }),
  },
  { additionalProperties: false },
);

export function v2Routes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v2/devices/evaluate',
      {
        schema: {
          tags,
          operationId: 'v2EvaluateDevice',
          summary: 'Evaluate from the backend, Rupt v2 shape',
          security: secured,
          body: EvaluateBody,
          response: { 200: EvaluateReply, '4xx': ErrorReply },
        },
      },
      async (request) => {
        const { fingerprint, last_fingerprint: last, version: _version, ...rest } = request.body;
        const hash = fingerprintHashOf(fingerprint) ?? last ?? null;
        const evaluation = await evaluateFromBackend(deps, request.serverAuth, { ...rest, ...(hash ? { fingerprint: hash } : {}) });
        return {
          verdict: evaluation.verdict,
          fingerprint_id: evaluation.fingerprintId,
          reasons: evaluation.reasons,
          challenge_id: evaluation.challenge?.id ?? null,
          evaluation_id: evaluation.id,
        };
      },
    );

    app.post(
      '/v2/challenges/:id/send',
      {
        schema: {
          tags,
          operationId: 'v2SendChallengeCode',
          summary: 'Send the verification code, Rupt v2 shape',
          security: secured,
          params: Params,
          body: Type.Object(
            { channel: Type.Optional(ChallengeChannelName), device: Type.Optional(Type.String({ maxLength: 64 })), language: Type.Optional(Type.String({ maxLength: 16 })) },
            { additionalProperties: false },
          ),
          response: { 200: Sent, '4xx': ErrorReply, '5xx': ErrorReply },
        },
        config: { optionalBody: true },
        preValidation: async (request) => {
          request.body ??= {};
        },
      },
      async (request) => {
        const challenge = await loadChallenge(deps, request.serverAuth, request.params.id);
        await sendChallengeCode(deps, challenge, channelFor(deps, challenge, request.body.channel), request.serverAuth.project.name);
        return { success: true, challenge_id: challenge.id };
      },
    );

    app.post(
      '/v2/challenges/:id/verify',
      {
        schema: {
          tags,
          operationId: 'v2VerifyChallengeCode',
          summary: 'Check the code the user entered, Rupt v2 shape: a wrong code is success false',
          security: secured,
          params: Params,
          body: Type.Object(
            { code: Type.String({ maxLength: 32, pattern: '^\\s*[0-9]{6}\\s*$' }), device: Type.Optional(Type.String({ maxLength: 64 })) },
            { additionalProperties: false },
          ),
          response: { 200: Success, '4xx': ErrorReply },
        },
      },
      async (request) => {
        const challenge = await loadChallenge(deps, request.serverAuth, request.params.id);
        const result = await verifyChallengeCode(deps, challenge, request.body.code, { complete: false });
        if (result.outcome === 'passed') return { success: true };
        // v2 answers a wrong code with success false; the fifth fails the challenge (0 left).
        if (result.outcome === 'wrong') return { success: false, attempts_left: result.attemptsLeft };
        if (result.outcome === 'failed') return { success: false, attempts_left: 0 };
        throw codeCheckError(result, challenge.status);
      },
    );

    app.post(
      '/v2/challenges/:id/complete',
      {
        config: { optionalBody: true },
        schema: {
          tags,
          operationId: 'v2CompleteChallenge',
          summary: 'Complete a verified challenge, Rupt v2 shape',
          security: secured,
          params: Params,
          response: { 200: Success, '4xx': ErrorReply },
        },
      },
      async (request) => {
        await completeChallenge(deps, await loadChallenge(deps, request.serverAuth, request.params.id));
        return { success: true };
      },
    );
  };
}
