import type { ChallengeRecord } from '@vigil/store';
import type { Deps } from '../deps.js';

export type Channel = 'email' | 'sms';

/** The channels a challenge offers: the policy's, less SMS when the instance has no SMS gateway (VIGIL_SMS unset). */
export function channelsOf(deps: Pick<Deps, 'config'>, challenge: ChallengeRecord): Channel[] {
  const asked = [...new Set(challenge.channels.map((c) => (c === 'text' ? 'sms' : c)))].filter((c): c is Channel => c === 'email' || c === 'sms');
  const offered = deps.config.sms.adapter === 'none' ? asked.filter((c) => c !== 'sms') : asked;
  return offered.length > 0 ? offered : ['email'];
}

/** The channel a code goes through: the one asked for if the challenge offers it, else its first. */
export function channelFor(deps: Pick<Deps, 'config'>, challenge: ChallengeRecord, asked?: string): Channel {
  const offered = channelsOf(deps, challenge);
  return offered.find((c) => c === asked) ?? offered[0]!;
}
