// Rate limits (SPEC §11): the counters port, its in-process adapter, and the limiter the routes and use
// cases call. A Redis adapter implements the same port (and passes counters.contract.ts) when nodes share.
export type { Counters, HitResult } from './counters.js';
export { MemoryCounters, type MemoryCountersOptions } from './memory-counters.js';
export { RateLimitedError, RateLimiter, type RateLimitFamily, addressKey } from './rate-limiter.js';
