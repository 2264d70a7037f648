import type { Kysely } from 'kysely';
import { riskFlags } from '../risk-flags.js';

// A retention period per project (null: the instance's VIGIL_RETENTION_DAYS), and each evaluation's
// risks above low as searchable text (the dashboard's risk filter), filled in for existing rows.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('projects').addColumn('retention_days', 'integer').execute();
  await db.schema.alterTable('evaluations').addColumn('risk_flags', 'text').execute();
  for (;;) {
    const rows: { id: string; risks: string }[] = await db.selectFrom('evaluations').select(['id', 'risks']).where('risk_flags', 'is', null).limit(1000).execute();
    if (rows.length === 0) break;
    await db.transaction().execute(async (trx) => {
      for (const row of rows) {
        let risks: { category: string; severity: string }[] = [];
        try {
          risks = JSON.parse(row.risks);
        } catch {
          // An unreadable risks column matches no risk filter rather than stopping the migration.
        }
        await trx
          .updateTable('evaluations')
          .set({ risk_flags: riskFlags(Array.isArray(risks) ? risks : []) })
          .where('id', '=', row.id)
          .execute();
      }
    });
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('evaluations').dropColumn('risk_flags').execute();
  await db.schema.alterTable('projects').dropColumn('retention_days').execute();
}
