export { openStore } from './store.js';
export type { Store } from './store.js';
export type { DatabaseOptions, Dialect } from './database.js';
export type { Environment, NewProject, Project } from './repositories/projects.js';
export type { ConsumeResult, EvaluationRecord, Metadata, NewEvaluation } from './repositories/evaluations.js';
export type { HistoryKey } from './repositories/history.js';
export type { Database } from './schema.js';
