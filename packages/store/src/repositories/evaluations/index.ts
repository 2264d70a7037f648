import type { Kysely } from 'kysely';
import type { Database } from '../../schema.js';
import { evaluationQueries } from './queries.js';
import { recordEvaluation } from './record.js';
import type { EvaluationRecord, NewEvaluation } from './types.js';

export type { ConsumeResult, EvaluationFilter, EvaluationRecord, Metadata, NewEvaluation, Place } from './types.js';
export { recordEvaluation } from './record.js';
export { writingTogether } from './write-at-once.js';

export function evaluationRepository(db: Kysely<Database>) {
  return {
    ...evaluationQueries(db),
    /**
     * Records an evaluation in a transaction of its own. The evaluate use case records inside the
     * transaction it read history in (`Store.evaluate`), where this is `recordEvaluation` on it.
     */
    record(e: NewEvaluation): Promise<EvaluationRecord> {
      return db.transaction().execute((trx) => recordEvaluation(trx, e));
    },
  };
}

export type EvaluationRepository = ReturnType<typeof evaluationRepository>;
