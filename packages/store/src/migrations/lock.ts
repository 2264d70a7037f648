/**
 * The advisory lock key of Vigil's migrations on PostgreSQL (an arbitrary 64-bit constant: "vigil-mg").
 * Whatever drops a table takes it too: a migrator lists the tables of every schema, and a table that
 * goes in the middle of that query fails it.
 */
export const MIGRATION_LOCK = '8531755386925770599';
