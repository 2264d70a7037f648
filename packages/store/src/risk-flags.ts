import { SEVERITIES, type Severity } from '@vigil/core';

/** Risk severities in order (core's one list): a filter "at least high" matches high and maximum. */
export { SEVERITIES, type Severity };

/**
 * An evaluation's risks above low as searchable text, ` ato:high bot:medium `: the dashboard filters
 * "ato at least high" with LIKE on both databases, where a JSON query would differ between them.
 */
export function riskFlags(risks: readonly { category: string; severity: string }[]): string {
  const flags = risks.filter((r) => r.severity !== 'low').map((r) => `${r.category}:${r.severity}`);
  return flags.length ? ` ${flags.join(' ')} ` : ' ';
}

/** The LIKE patterns that match a risk (any category when none is given) at this severity or above. */
export function riskFlagPatterns(filter: { category?: string; atLeast: Severity }): string[] {
  const from = Math.max(1, SEVERITIES.indexOf(filter.atLeast));
  return SEVERITIES.slice(from).map((s) => (filter.category ? `% ${filter.category}:${s} %` : `%:${s} %`));
}
