import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

export interface PhoneFacts {
  valid: boolean;
  /** ISO 3166 country of the number. */
  country: string | null;
  /** mobile, fixed, fixed_or_mobile, voip, toll_free, premium_rate, shared_cost, personal, pager, uan, voicemail; null when unknown. */
  type: string | null;
  /** E.164, when the number is valid. */
  e164: string | null;
}

const types: Record<string, string> = { MOBILE: 'mobile', FIXED_LINE: 'fixed', FIXED_LINE_OR_MOBILE: 'fixed_or_mobile', VOIP: 'voip' };

/** A phone number in international form (`+47 …`), by libphonenumber-js with its full metadata (types need it). */
export function classifyPhone(phone: string): PhoneFacts {
  const number = parsePhoneNumberFromString(phone.trim());
  if (!number) return { valid: false, country: null, type: null, e164: null };
  const valid = number.isValid();
  const type = valid ? number.getType() : undefined;
  return {
    valid,
    country: number.country ?? null,
    type: type ? (types[type] ?? type.toLowerCase()) : null,
    e164: valid ? number.number : null,
  };
}
