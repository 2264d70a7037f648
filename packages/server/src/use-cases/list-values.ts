import { parseCidr, parseIp } from '@vigil/intel';
import type { ListType } from '@vigil/store';

/**
 * A list entry in the one form evaluations are matched in (core's listValueOf): addresses canonical,
 * emails and domains lower case, countries upper case. Null when the value is not of the list's type.
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
      return parseIp(value)?.address ?? null;
    case 'cidr':
      return parseCidr(value);
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

export const listTypes: readonly ListType[] = ['user', 'email', 'email_domain', 'ip', 'cidr', 'country', 'fingerprint', 'device', 'phone'];
