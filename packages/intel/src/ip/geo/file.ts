import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CompactGeo } from './compact.js';

// One file: a JSON header (format, build date, countries, array lengths), then the arrays' bytes in order.
const FORMAT = 'vigil-geo-1';
const arrays = ['v4Starts', 'v4Places', 'v6Starts', 'v6Places', 'lat', 'lon', 'country', 'city'] as const;
const kinds = {
  v4Starts: Uint32Array,
  v4Places: Uint16Array,
  v6Starts: BigUint64Array,
  v6Places: Uint16Array,
  lat: Int16Array,
  lon: Int16Array,
  country: Uint16Array,
  city: Uint8Array,
};

export function writeCompactGeo(path: string, geo: CompactGeo): void {
  const header = Buffer.from(JSON.stringify({ format: FORMAT, builtAt: geo.builtAt, countries: geo.countries, lengths: arrays.map((a) => geo[a].length) }));
  const parts: Buffer[] = [Buffer.alloc(4), header];
  parts[0]!.writeUInt32LE(header.length);
  let offset = 4 + header.length;
  for (const name of arrays) {
    const array = geo[name];
    // Each array starts at a multiple of 8 bytes, so it can be viewed in place when read back.
    const pad = (8 - (offset % 8)) % 8;
    parts.push(Buffer.alloc(pad), Buffer.from(array.buffer, array.byteOffset, array.byteLength));
    offset += pad + array.byteLength;
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, Buffer.concat(parts));
  renameSync(`${path}.tmp`, path);
}

export function readCompactGeo(path: string): CompactGeo | null {
  const bytes = readFileSync(path);
  const headerLength = bytes.readUInt32LE(0);
  const header = JSON.parse(bytes.subarray(4, 4 + headerLength).toString('utf8')) as { format: string; builtAt: number; countries: string[]; lengths: number[] };
  if (header.format !== FORMAT) return null;
  // One copy into an aligned buffer, then typed-array views over it (no per-array copies).
  const buffer = new ArrayBuffer(bytes.length);
  new Uint8Array(buffer).set(bytes);
  let offset = 4 + headerLength;
  const out: Partial<CompactGeo> = { builtAt: header.builtAt, countries: header.countries };
  arrays.forEach((name, i) => {
    offset += (8 - (offset % 8)) % 8;
    const Kind = kinds[name];
    const length = header.lengths[i]!;
    (out as Record<string, unknown>)[name] = new Kind(buffer, offset, length);
    offset += length * Kind.BYTES_PER_ELEMENT;
  });
  return out as CompactGeo;
}
