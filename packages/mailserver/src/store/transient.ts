// Which store failures are worth retrying: the database is unreachable, restarting, out of a resource or
// busy, as opposed to a write it will refuse again. Stores wrap driver errors (`cause`), so the whole
// chain is looked at.

/** Socket errors of a database connection (node `net`, DNS). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

/**
 * PostgreSQL SQLSTATEs: class 08 (connection exception), 53 (insufficient resources: disk full, out of
 * memory, too many connections), 57P01-03 (shutdown, crash, not yet accepting connections), 57014 (query
 * cancelled, e.g. a statement timeout), 40001 / 40P01 (serialization failure, deadlock), 55P03 (lock).
 */
function isTransientSqlState(code: string): boolean {
  return (
    /^(08|53)[0-9A-Z]{3}$/.test(code) ||
    ['57P01', '57P02', '57P03', '57014', '40001', '40P01', '55P03'].includes(code)
  );
}

/** better-sqlite3 codes: another connection holds the lock, the disk is full or failing. */
function isTransientSqliteCode(code: string): boolean {
  return /^SQLITE_(BUSY|LOCKED|FULL|IOERR)(_|$)/.test(code);
}

/** node-postgres reports a lost connection with messages only. */
const PG_CONNECTION_MESSAGE = /connection terminated|timeout exceeded when trying to connect|not queryable/i;

/**
 * True when `error`, or an error in its `cause` chain (or an AggregateError's errors), is a transient store
 * failure: a connection error, a database that is restarting or out of a resource, a busy lock, or an error
 * marked `transient: true` (how a custom EnvelopeStore asks for a retry).
 */
export function isTransientStoreError(error: unknown): boolean {
  const seen = new Set<unknown>();
  const visit = (e: unknown, depth: number): boolean => {
    if (!e || typeof e !== 'object' || seen.has(e) || depth > 8) return false;
    seen.add(e);
    const { code, transient, message, cause, errors } = e as {
      code?: unknown;
      transient?: unknown;
      message?: unknown;
      cause?: unknown;
      errors?: unknown;
    };
    if (transient === true) return true;
    if (typeof code === 'string') {
      if (NETWORK_CODES.has(code) || isTransientSqlState(code) || isTransientSqliteCode(code)) return true;
    }
    if (typeof message === 'string' && PG_CONNECTION_MESSAGE.test(message)) return true;
    if (Array.isArray(errors) && errors.some((x) => visit(x, depth + 1))) return true;
    return visit(cause, depth + 1);
  };
  return visit(error, 0);
}
