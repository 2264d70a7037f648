import ipaddr from 'ipaddr.js';

/** An address as numbers for range search: IPv4 as an unsigned 32-bit integer, IPv6 as a 128-bit bigint. */
export type NumericIp = { version: 4; value: number } | { version: 6; value: bigint };

/** Parses an address (any spelling ipaddr.js reads; IPv4-mapped IPv6 becomes IPv4). */
export function toNumeric(text: string): NumericIp | null {
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    addr = ipaddr.process(text.trim());
  } catch {
    return null;
  }
  const bytes = addr.toByteArray();
  if (addr.kind() === 'ipv4') return { version: 4, value: ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0 };
  let value = 0n;
  for (const b of bytes) value = (value << 8n) | BigInt(b);
  return { version: 6, value };
}

/** A CIDR range (`10.0.0.0/8`, `2001:db8::/32`) or a single address, as its first and last address. */
export function toRange(text: string): { version: 4; start: number; end: number } | { version: 6; start: bigint; end: bigint } | null {
  const [addressText, prefixText] = text.trim().split('/');
  if (!addressText) return null;
  const address = toNumeric(addressText);
  if (!address) return null;
  const bits = address.version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits) return null;
  if (address.version === 4) {
    const size = 2 ** (32 - prefix);
    const start = Math.floor(address.value / size) * size;
    return { version: 4, start, end: start + size - 1 };
  }
  const host = (1n << BigInt(128 - prefix)) - 1n;
  const start = address.value & ~host & ((1n << 128n) - 1n);
  return { version: 6, start, end: start | host };
}
