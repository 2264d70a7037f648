export { type VigilErrorCode, VigilError } from './errors.js';
export { type EvaluateOptions, type EvaluateResult, Vigil, type VigilOptions } from './vigil.js';
export type { Signals, SignalResult } from './signals/index.js';
