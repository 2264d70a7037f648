/**
 * The last index k in [0, n) for which `atMost(k)` holds, when it holds for a prefix of the indexes;
 * -1 when it holds for none. The binary search every sorted range table here uses.
 */
export function lastAtMost(n: number, atMost: (k: number) => boolean): number {
  let lo = 0;
  let hi = n - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (atMost(mid)) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}
