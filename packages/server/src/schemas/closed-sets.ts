import { CHALLENGE_CHANNELS, CHALLENGE_KINDS, CHALLENGE_METHODS, CHALLENGE_STATUSES, LIST_TYPES, LIST_VALUE_KINDS, OPERATORS, SEVERITIES, VERDICTS } from '@vigil/core';
import { type TUnsafe, Type } from 'typebox';

// Core's closed sets as schemas: a string with an `enum`, which every validator compiles and OpenAPI
// 3.0 shows as the list of values (an anyOf of `const`s is neither). Never restated here: a verdict or
// a list type added in core is accepted, documented and typed everywhere at once.

export const oneOf = <T extends readonly string[]>(values: T, description?: string): TUnsafe<T[number]> =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });

export const VerdictName = oneOf(VERDICTS, 'What Vigil answers; a policy action gives its own type as the verdict');
export const SeverityName = oneOf(SEVERITIES, 'A risk severity, in order: low < medium < high < maximum');
export const ListTypeName = oneOf(LIST_TYPES, 'What the list holds');
export const ListValueKindName = oneOf(LIST_VALUE_KINDS, 'Which value of the evaluation');
export const OperatorName = oneOf(OPERATORS, 'A condition operator');
export const ChallengeStatusName = oneOf(CHALLENGE_STATUSES, "The challenge's status");
export const ChallengeMethodName = oneOf(CHALLENGE_METHODS, 'How the challenge verifies: a code, or logging devices out');
export const ChallengeChannelName = oneOf(CHALLENGE_CHANNELS, 'Where a code goes');
export const ChallengeKindName = oneOf(CHALLENGE_KINDS, 'What the challenge is about, from the risk that led to it');
