import type { DecideOptions } from '../types.js';

/** What every check may read besides the evaluation and its history: the time, passed in, and options. */
export interface CheckContext {
  now: number;
  options: DecideOptions;
}
