import { requireOptional } from '@status-ts/core';

// The part of node-postgres (`pg`) the PostgreSQL store uses, as structural types: the store's public types
// never name pg's, so a consumer type-checks without @types/pg, and pg itself (an optional peer dependency)
// is loaded only when a store is created.

/** Connection settings handed to pg's `Pool` as given (the common ones; pg's documentation has them all). */
export interface PostgresPoolConfig {
  connectionString?: string;
  host?: string;
  port?: number;
  user?: string;
  password?: string | (() => string | Promise<string>);
  database?: string;
  ssl?: boolean | object;
  application_name?: string;
  statement_timeout?: false | number;
  query_timeout?: number;
  connectionTimeoutMillis?: number;
  /** Pool size. */
  max?: number;
  min?: number;
  idleTimeoutMillis?: number | null;
  maxLifetimeSeconds?: number;
}

/** What the store uses of a pg `Pool`. */
export interface PostgresPool {
  query<Row>(text: string, values?: readonly unknown[]): Promise<{ rows: Row[]; rowCount: number | null }>;
  on(event: 'error', listener: (err: Error) => void): unknown;
  end(): Promise<void>;
}

type PostgresDriver = { Pool: new (config: PostgresPoolConfig) => PostgresPool };

/** A pg `Pool`, with pg resolved from this package (the consumer's install); MissingDependencyError without it. */
export function createPostgresPool(config: PostgresPoolConfig): PostgresPool {
  const { Pool } = requireOptional<PostgresDriver>(import.meta.url, 'pg', '@status-ts/mailserver/postgres');
  return new Pool(config);
}
