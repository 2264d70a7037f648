import { describe, expectTypeOf, it } from 'vitest';
import type {
  ChallengeRecord,
  CheckDefinition,
  CreateEvaluation,
  Device,
  Evaluation,
  List,
  ListEntry,
  ListType,
  Policy,
  PolicyTestResult,
  PolicyVersion,
  User,
  Verdict,
} from './types.js';

// The types come from the OpenAPI document: each must be the real shape, never `never` or `any`.
describe("@vigil/api's types, from the OpenAPI document", () => {
  it('are the shapes the server answers', () => {
    expectTypeOf<Verdict>().toEqualTypeOf<'allow' | 'deny' | 'challenge' | 'suspend' | 'add_to_list' | 'remove_from_list' | 'restrict' | 'challenge_and_restrict'>();
    expectTypeOf<Evaluation['user']['id']>().toEqualTypeOf<string | null>();
    expectTypeOf<NonNullable<Evaluation['challenge']>['status']>().toEqualTypeOf<
      'created' | 'presented' | 'code_sent' | 'verified' | 'completed' | 'failed' | 'skipped' | 'overridden'
    >();
    expectTypeOf<NonNullable<Evaluation['policy']>['name']>().toEqualTypeOf<string>();
    expectTypeOf<CreateEvaluation['action']>().toEqualTypeOf<string>();
    expectTypeOf<CreateEvaluation['user']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<User['vigil_id']>().toEqualTypeOf<string>();
    expectTypeOf<Device['id']>().toEqualTypeOf<string>();
    expectTypeOf<List['entries']>().toEqualTypeOf<number>();
    expectTypeOf<ListType>().toEqualTypeOf<'user' | 'email' | 'email_domain' | 'ip' | 'cidr' | 'country' | 'fingerprint' | 'device' | 'phone'>();
    expectTypeOf<ListEntry['value']>().toEqualTypeOf<string>();
    expectTypeOf<ChallengeRecord['id']>().toEqualTypeOf<string>();
    expectTypeOf<CheckDefinition['name']>().toEqualTypeOf<string>();
    expectTypeOf<PolicyTestResult['evaluated']>().toEqualTypeOf<number>();
    expectTypeOf<PolicyVersion['version']>().toEqualTypeOf<number>();
    expectTypeOf<Policy['action']['type']>().toBeString();
  });
});
