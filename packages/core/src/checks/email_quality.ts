import type { Checks, EvaluationInput, Facts } from '../types.js';

/**
 * What is known about the user's email address. Absent when the evaluation has no email or nothing is
 * known about it. Invalid: bad syntax, or a domain that DNS says has no mail exchanger (when DNS was
 * not asked, syntax alone decides). Accept-all only when an SMTP probe answered.
 */
export function emailQuality(input: EvaluationInput, facts: Facts): Checks {
  const email = facts.email;
  if (!input.user.email || email === null) return {};
  const checks: Checks = {
    email_is_disposable: email.disposable,
    email_is_webmail: email.webmail,
    email_is_invalid: !email.valid || email.hasMailExchanger === false,
  };
  if (email.acceptAll !== null) checks.email_is_accept_all = email.acceptAll;
  if (email.domain !== null) checks.email_domain = email.domain.toLowerCase();
  return checks;
}
