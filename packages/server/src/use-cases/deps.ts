import type { Store } from '@vigil/store';
import type { Config } from '../config/config.js';

/** What every use case may touch. The clock is passed in so tests can move time. */
export interface Deps {
  config: Config;
  store: Store;
  now: () => number;
}
