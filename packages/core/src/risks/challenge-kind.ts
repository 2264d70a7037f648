import type { ChallengeKind, RiskExplanation } from '../types.js';

const kindByRisk: Record<string, ChallengeKind> = {
  ato: 'account_takeover',
  account_sharing: 'account_sharing',
  linked_accounts: 'multi_accounting',
  fake_account: 'fake_account',
};

/**
 * What a challenge is about (SPEC §7): the acted-on risk that scored highest. With none above zero, a
 * signup's challenge is about a fake account and anything else's about a takeover.
 */
export function challengeKindFor(risks: readonly RiskExplanation[], action: string): ChallengeKind {
  let best: RiskExplanation | undefined;
  for (const risk of risks) {
    if (!(risk.category in kindByRisk) || risk.score <= 0) continue;
    if (!best || risk.score > best.score) best = risk;
  }
  if (best) return kindByRisk[best.category]!;
  return action === 'signup' ? 'fake_account' : 'account_takeover';
}
