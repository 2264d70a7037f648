import { accountSharing } from './account_sharing.js';
import { antiFingerprinting } from './anti_fingerprinting.js';
import { ato } from './ato.js';
import { bot } from './bot.js';
import { fakeAccount } from './fake_account.js';
import { incognito } from './incognito.js';
import { linkedAccounts } from './linked_accounts.js';
import { applyRiskOverrides, type RiskOverrides, validateRiskOverrides as validate } from './overrides.js';
import { replayAttack } from './replay_attack.js';
import { scraping } from './scraping.js';
import { tampering } from './tampering.js';
import type { RiskTable } from './types.js';

export { challengeKindFor } from './challenge-kind.js';
export { applyRiskOverrides, type RiskOverrides, type RiskProblem } from './overrides.js';
export { conditionHolds, scoreRisk, scoreRisks } from './score.js';
export type { RiskCombination, RiskCondition, RiskRule, RiskTable, RiskThresholds, RiskWhen } from './types.js';

/** Every built-in risk (SPEC §5), acted-on first, then observed-only: one file and one line each. */
export const riskTables: readonly RiskTable[] = [ato, fakeAccount, accountSharing, scraping, linkedAccounts, bot, tampering, antiFingerprinting, incognito, replayAttack];

/** The tables in force for a project with these (validated) overrides. */
export function riskTablesFor(overrides: Record<string, unknown>): RiskTable[] {
  return applyRiskOverrides(riskTables, overrides as RiskOverrides);
}

export function validateRiskOverrides(input: unknown, isKnownCheck: (name: string) => boolean) {
  return validate(input, isKnownCheck, riskTables);
}
