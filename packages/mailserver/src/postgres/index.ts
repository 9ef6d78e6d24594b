// Node-only entry: the production PostgreSQL store, on `pg` (an optional peer dependency, loaded only when a
// store is created). Import from '@status-ts/mailserver/postgres'.

export { PostgresEnvelopeStore, type PostgresEnvelopeStoreOptions } from '../store/postgres.js';
export type { PostgresPool, PostgresPoolConfig } from '../store/postgres-driver.js';
