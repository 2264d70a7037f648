import { fileURLToPath } from 'node:url';

/** The reference data snapshot shipped with the package (`packages/intel/data`), used offline. */
export const bundledDataDir = fileURLToPath(new URL('../data/', import.meta.url));
