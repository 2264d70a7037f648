import ipaddr from 'ipaddr.js';
import { LIST_VALUE_KINDS, type ListType } from './closed-sets.js';
import type { EvaluationInput, Facts, ListValueKind } from './types.js';

/** An address in its one written form (IPv4-mapped IPv6 unwrapped, IPv6 compressed); null when not one. */
function canonicalAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  // Four-part IPv4 only: ipaddr.js would also read inet_aton shorthand ("1", "0x7f.1") that no one means.
  if (!ipaddr.isValid(text) || (!text.includes(':') && !ipaddr.IPv4.isValidFourPartDecimal(text))) return null;
  try {
    return ipaddr.process(text);
  } catch {
    return null;
  }
}

/**
 * A value in the one form lists keep and evaluations are matched in: whatever way an operator typed an
 * entry and whatever way the evaluation carried it, the same value is the same string. Emails and
 * domains lower case, phones without spaces, dots, dashes or brackets, countries upper case, addresses
 * canonical and ranges by their network address. Null when the value is not of the list's type.
 */
export function normalizeListValue(type: ListType, raw: string): string | null {
  const value = raw.trim();
  if (value === '' || value.length > 320) return null;
  switch (type) {
    case 'user':
      return value.length <= 256 ? value : null;
    case 'email':
      return /^[^\s@]+@[^\s@]+$/.test(value) ? value.toLowerCase() : null;
    case 'email_domain': {
      const domain = value.replace(/^@/, '').toLowerCase();
      return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain) ? domain : null;
    }
    case 'ip':
      return canonicalAddress(value)?.toString() ?? null;
    case 'cidr': {
      const slash = value.lastIndexOf('/');
      const address = slash > 0 ? canonicalAddress(value.slice(0, slash)) : null;
      const bits = value.slice(slash + 1);
      if (!address || !/^\d{1,3}$/.test(bits) || Number(bits) > (address.kind() === 'ipv4' ? 32 : 128)) return null;
      // The network address, so 203.0.113.7/24 and 203.0.113.0/24 are one entry.
      const network = address.kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(`${address}/${bits}`) : ipaddr.IPv6.networkAddressFromCIDR(`${address}/${bits}`);
      return `${network.toString()}/${Number(bits)}`;
    }
    case 'country':
      return /^[A-Za-z]{2}$/.test(value) ? value.toUpperCase() : null;
    case 'fingerprint':
      return /^fp_[0-9a-z]{1,60}$/.test(value) ? value : null;
    case 'device':
      return /^dv_[0-9a-z]{1,60}$/.test(value) ? value : null;
    case 'phone': {
      const phone = value.replace(/[\s().-]/g, '');
      return /^\+?[0-9]{4,20}$/.test(phone) ? phone : null;
    }
  }
}

/**
 * The value of an evaluation that a list of this kind holds, in the form lists keep it
 * (`normalizeListValue`): what a policy's `in_list:` condition looks up and what `add_to_list` adds.
 * Fingerprints and devices by their ids (`fp_…`, `dv_…`: what an operator sees and copies).
 */
export function listValueOf(kind: ListValueKind, e: EvaluationInput, facts: Facts): string | null {
  const raw = rawListValueOf(kind, e, facts);
  return raw === null ? null : normalizeListValue(kind, raw);
}

function rawListValueOf(kind: ListValueKind, e: EvaluationInput, facts: Facts): string | null {
  switch (kind) {
    case 'user':
      return e.user.id;
    case 'email':
      return e.user.email ?? null;
    case 'email_domain': {
      if (facts.email?.domain) return facts.email.domain;
      const at = e.user.email?.lastIndexOf('@') ?? -1;
      return at > 0 ? e.user.email!.slice(at + 1) : null;
    }
    case 'ip':
      return e.ip ?? null;
    case 'fingerprint':
      return e.fingerprintId ?? null;
    case 'device':
      return e.deviceId ?? null;
    case 'phone':
      return e.user.phone ?? null;
    case 'country':
      return facts.ip?.country ?? null;
  }
}

export function listValuesOf(e: EvaluationInput, facts: Facts): Record<ListValueKind, string | null> {
  return Object.fromEntries(LIST_VALUE_KINDS.map((kind) => [kind, listValueOf(kind, e, facts)])) as Record<ListValueKind, string | null>;
}
