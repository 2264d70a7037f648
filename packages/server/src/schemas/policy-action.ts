import { Type } from 'typebox';
import { ChallengeChannelName, ChallengeMethodName, ListValueKindName } from './closed-sets.js';

const ChallengeConfig = Type.Object(
  {
    type: ChallengeMethodName,
    channels: Type.Optional(Type.Array(ChallengeChannelName)),
    device_limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    success_url: Type.Optional(Type.String()),
    logout_url: Type.Optional(Type.String()),
    suppress_days: Type.Optional(Type.Integer({ minimum: 0 })),
    allow_skip: Type.Optional(Type.Boolean()),
  },
  { title: 'ChallengeConfig' },
);

const only = (types: string[]) => Type.Unsafe<string>({ type: 'string', enum: types });

/** What a policy does when its conditions hold; its type is the verdict it gives (docs/policies.md). */
export const PolicyAction = Type.Union(
  [
    Type.Object({ type: only(['allow', 'deny', 'suspend', 'restrict']) }),
    Type.Object({ type: only(['challenge', 'challenge_and_restrict']), challenge: ChallengeConfig }),
    Type.Object({ type: only(['add_to_list', 'remove_from_list']), list: Type.String(), value: ListValueKindName }),
  ],
  { title: 'PolicyAction' },
);
