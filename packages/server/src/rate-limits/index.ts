// Rate limits (SPEC §11): the counters port, its adapters (in-process for one node, Redis for nodes that
// share one allowance; both pass counters.contract.ts and do their arithmetic in sliding-window.ts), and
// the limiter the routes and use cases call.
export type { Counters, HitResult } from './counters.js';
export { MemoryCounters, type MemoryCountersOptions } from './memory-counters.js';
export { RedisCounters, type RedisCountersOptions, type RedisCountersClient } from './redis-counters.js';
export { RateLimitedError, RateLimiter, type RateLimitFamily, addressKey } from './rate-limiter.js';
