import { createInterface } from 'node:readline';
import { classifyPhone, classifyUserAgent, Intel } from '@vigil/intel';
import type { Config } from '../../config/config.js';
import { UsageError } from '../args.js';
import type { Io } from '../main.js';

const kinds = ['ip', 'email', 'ua', 'phone'] as const;
type Kind = (typeof kinds)[number];

type Answer = Record<string, unknown> & { input: string; error?: string };

function lookupOne(kind: Kind, input: string, intel: () => Intel, now: number): Answer {
  switch (kind) {
    case 'ip': {
      const info = intel().ipInfo(input, now);
      if (!info) return { input, error: 'not an IPv4 or IPv6 address' };
      return {
        input,
        address: info.address,
        range: info.range,
        type: info.type,
        sources: info.sources,
        overruled: info.overruled,
        asn: info.asn,
        as_org: info.as_org,
        asn_type: info.asn_type,
        country: info.country,
        precision: info.precision,
        latitude: info.latitude,
        longitude: info.longitude,
        accuracy_km: info.accuracy_km,
        list_age_days: info.listAgeDays,
      };
    }
    case 'email': {
      const facts = intel().email.classify(input);
      return { input, ...(facts.valid ? {} : { error: 'not a valid email address' }), ...facts };
    }
    case 'ua': {
      if (input.trim() === '') return { input, error: 'an empty user agent' };
      const facts = classifyUserAgent(input);
      return { input, browser: facts.browser, os: facts.os, device_class: facts.deviceClass, is_bot: facts.isBot };
    }
    case 'phone': {
      const facts = classifyPhone(input);
      return { input, ...(facts.valid ? {} : { error: 'not a valid phone number (write it as +<country code> <number>)' }), ...facts };
    }
  }
}

async function* stdinLines(): AsyncGenerator<string> {
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) if (line.trim() !== '') yield line.trim();
}

/**
 * `vigil lookup ip|email|ua|phone [VALUE…]`: what Vigil knows of each value, one JSON object a line
 * (values from standard input, one a line, when none are given). Exit code 1 when any value was invalid.
 */
export async function lookup(config: Config, args: string[], io: Io): Promise<number> {
  const [kind, ...values] = args;
  if (!kinds.includes(kind as Kind)) throw new UsageError(`say what to look up: vigil lookup ${kinds.join('|')} [VALUE…]`);
  // The IP and email data is loaded only when needed: a phone lookup starts at once.
  let loaded: Intel | undefined;
  const intel = () => (loaded ??= Intel.load({ referenceDir: config.referenceDir }));
  const now = Date.now();
  let invalid = 0;
  const source: AsyncIterable<string> | Iterable<string> = values.length > 0 ? values : stdinLines();
  for await (const value of source) {
    const answer = lookupOne(kind as Kind, value, intel, now);
    if (answer.error) invalid++;
    io.out(JSON.stringify(answer));
  }
  return invalid > 0 ? 1 : 0;
}
