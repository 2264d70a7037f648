import type { EvaluationInput, Facts, ListValueKind } from './types.js';

const listValueKinds: readonly ListValueKind[] = ['user', 'email', 'email_domain', 'ip', 'fingerprint', 'device', 'phone', 'country'];

/**
 * The value of an evaluation that a list of this kind holds, in the form lists keep it: what a policy's
 * `in_list:` condition looks up and what `add_to_list` adds. Fingerprints and devices by their ids
 * (`fp_…`, `dv_…`: what an operator sees and copies), emails and domains in lower case.
 */
export function listValueOf(kind: ListValueKind, e: EvaluationInput, facts: Facts): string | null {
  switch (kind) {
    case 'user':
      return e.user.id;
    case 'email':
      return e.user.email ? e.user.email.trim().toLowerCase() : null;
    case 'email_domain': {
      if (facts.email?.domain) return facts.email.domain;
      const at = e.user.email?.lastIndexOf('@') ?? -1;
      return at > 0 ? e.user.email!.slice(at + 1).trim().toLowerCase() || null : null;
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
  return Object.fromEntries(listValueKinds.map((kind) => [kind, listValueOf(kind, e, facts)])) as Record<ListValueKind, string | null>;
}
