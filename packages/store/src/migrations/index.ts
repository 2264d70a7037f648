import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './20261125T0200_initial.js';
import * as policiesListsChallenges from './20261125T0400_policies_lists_challenges_geography.js';
import * as challengeCodes from './20261125T0600_challenge_codes.js';
import * as webhooks from './20261125T0700_webhooks.js';
import * as deviceLogout from './20261125T0800_device_logout_challenge_policy.js';
import * as operators from './20261125T0900_operators_dashboard.js';
import * as retention from './20261125T1100_retention_risk_flags.js';
import * as challengeContact from './20261203T1000_challenge_contact.js';
import * as familiarity from './20261203T1200_familiarity.js';
import * as hotPath from './20261204T1000_hot_path.js';
import * as nodes from './20261205T1000_nodes.js';
import * as evaluationsByMonth from './20261205T1100_evaluations_by_month.js';
import * as concurrentSessionsFlag from './20261206T1000_concurrent_sessions_flag.js';
import * as webhookEndpoints from './20261206T1100_webhook_endpoints.js';
import * as leanIndexes from './20261207T1000_lean_indexes.js';
import * as challengeFingerprint from './20261208T1000_challenge_fingerprint.js';
import * as evaluationsLz4 from './20261209T1000_evaluations_lz4.js';
import * as hotPathForeignKeys from './20261210T1000_hot_path_foreign_keys.js';

/**
 * Every migration, named by time and intent. Listed in code (not read from a folder) so they travel
 * inside the build; Kysely runs them in name order under its migration lock, on both dialects.
 */
const migrations: Record<string, Migration> = {
  '20261125T0200_initial': initial,
  '20261125T0400_policies_lists_challenges_geography': policiesListsChallenges,
  '20261125T0600_challenge_codes': challengeCodes,
  '20261125T0700_webhooks': webhooks,
  '20261125T0800_device_logout_challenge_policy': deviceLogout,
  '20261125T0900_operators_dashboard': operators,
  '20261125T1100_retention_risk_flags': retention,
  '20261203T1000_challenge_contact': challengeContact,
  '20261203T1200_familiarity': familiarity,
  '20261204T1000_hot_path': hotPath,
  '20261205T1000_nodes': nodes,
  '20261205T1100_evaluations_by_month': evaluationsByMonth,
  '20261206T1000_concurrent_sessions_flag': concurrentSessionsFlag,
  '20261206T1100_webhook_endpoints': webhookEndpoints,
  '20261207T1000_lean_indexes': leanIndexes,
  '20261208T1000_challenge_fingerprint': challengeFingerprint,
  '20261209T1000_evaluations_lz4': evaluationsLz4,
  '20261210T1000_hot_path_foreign_keys': hotPathForeignKeys,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
