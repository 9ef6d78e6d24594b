// Node-only entry: the production PostgreSQL store on `pg`. Import from '@status-ts/mailserver/postgres'.
export { PostgresEnvelopeStore, type PostgresEnvelopeStoreOptions } from '../store/postgres.js';
