import type { Checks, EvaluationInput, Facts } from '../types.js';

/** What is known about the user's phone number. Absent when the evaluation has no phone or nothing is known. */
export function phoneQuality(input: EvaluationInput, facts: Facts): Checks {
  const phone = facts.phone;
  if (!input.user.phone || phone === null) return {};
  const checks: Checks = { phone_is_invalid: !phone.valid };
  if (phone.country !== null) checks.phone_country = phone.country;
  if (phone.type !== null) checks.phone_type = phone.type;
  return checks;
}
