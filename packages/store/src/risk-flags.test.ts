import { describe, expect, it } from 'vitest';
import { riskFlagPatterns, riskFlags } from './risk-flags.js';

describe('risk flags', () => {
  it('keeps the risks above low as space-delimited tokens', () => {
    expect(
      riskFlags([
        { category: 'ato', severity: 'high' },
        { category: 'bot', severity: 'low' },
        { category: 'fake_account', severity: 'medium' },
      ]),
    ).toBe(' ato:high fake_account:medium ');
    expect(riskFlags([{ category: 'ato', severity: 'low' }])).toBe(' ');
  });

  it('matches a severity and those above it, for one risk or any', () => {
    expect(riskFlagPatterns({ category: 'ato', atLeast: 'high' })).toEqual(['% ato:high %', '% ato:maximum %']);
    expect(riskFlagPatterns({ atLeast: 'medium' })).toEqual(['%:medium %', '%:high %', '%:maximum %']);
    // "low" would match everything, flags hold nothing below medium: it means medium.
    expect(riskFlagPatterns({ atLeast: 'low' })).toEqual(['%:medium %', '%:high %', '%:maximum %']);
  });
});
