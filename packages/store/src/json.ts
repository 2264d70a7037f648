/** JSON columns are text on both dialects; these keep the parse in one place. */
export function toJson(value: unknown): string {
  return JSON.stringify(value);
}

const frozenTexts = new WeakMap<object, string>();

/**
 * `toJson` of a value shared frozen, written once per value: intel's facts for an IP, deep-frozen and
 * the same object for every evaluation from that address that day, are every evaluation's `ip_info`.
 * Anything not frozen is written each time (it could have changed).
 */
export function frozenJson(value: object): string {
  if (!Object.isFrozen(value)) return JSON.stringify(value);
  let text = frozenTexts.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    frozenTexts.set(value, text);
  }
  return text;
}

export function fromJson<T>(text: string | null, fallback: T): T {
  return text === null ? fallback : (JSON.parse(text) as T);
}
