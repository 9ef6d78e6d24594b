import { ManualClock } from '@status-ts/core';
import type { Envelope } from '@status-ts/waku';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_ARCHIVE_RETRY_MAX_BYTES,
  DEFAULT_ARCHIVE_RETRY_MAX_ENVELOPES,
  type EnvelopeStore,
  isTransientStoreError,
  MailServer,
  type MailServerOptions,
  MailserverError,
  MailserverErrorCode,
  MemoryEnvelopeStore,
} from '../src/index.js';
import { PostgresEnvelopeStore } from '../src/postgres/index.js';
import { makeEnvelope, TOPIC_A } from './helpers/envelopes.js';
import { startPostgres, type TestPostgres } from './helpers/postgres.js';

const NOW = 1_750_000_000;
let sent = 0;
const envelopes = (n: number): Envelope[] =>
  Array.from({ length: n }, () => makeEnvelope(NOW - 1000 + sent++, TOPIC_A));

/** What node-postgres throws when the server is not there, wrapped as the PostgreSQL store wraps it. */
function connectionRefused(): MailserverError {
  const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  return new MailserverError(MailserverErrorCode.Store, 'PostgreSQL write failed', { cause });
}

/** A memory store whose writes fail with `failure()` while `down`. */
class FlakyStore extends MemoryEnvelopeStore {
  down = false;
  puts = 0;
  failure: () => Error = connectionRefused;
  override async put(batch: readonly Envelope[], at?: number): Promise<number> {
    this.puts++;
    if (this.down) throw this.failure();
    return super.put(batch, at);
  }
}

function server(store: EnvelopeStore, options: Partial<MailServerOptions> = {}) {
  const clock = new ManualClock(NOW * 1000);
  const mailserver = new MailServer({ store, clock, ...options });
  const errors: Error[] = [];
  mailserver.on('error', (e) => errors.push(e));
  return { clock, mailserver, errors };
}

describe('archive retry after transient store failures', () => {
  it('queues writes that fail with a connection error and retries them with backoff until the store is back', async () => {
    const store = new FlakyStore();
    const { clock, mailserver, errors } = server(store, {
      archiveRetryMinDelayMs: 1000,
      archiveRetryMaxDelayMs: 3000,
    });
    store.down = true;
    for (let i = 0; i < 3; i++) await mailserver.archive(envelopes(50));
    expect(mailserver.counters.archiveErrors).toBe(0);
    expect(mailserver.load).toMatchObject({ archivePending: 150 });
    expect(mailserver.load.archivePendingBytes).toBeGreaterThan(150 * 64);
    expect(mailserver.counters).toMatchObject({ archiveQueued: 150, archiveDropped: 0, archived: 0 });
    expect(errors).toHaveLength(3);
    // Backoff: 1 s, 2 s, then 3 s (the maximum) between attempts.
    const attemptsAfter = async (ms: number) => {
      clock.advance(ms);
      await mailserver.flush();
      return mailserver.counters.archiveRetries;
    };
    expect(await attemptsAfter(999)).toBe(0);
    expect(await attemptsAfter(1)).toBe(1);
    expect(await attemptsAfter(1999)).toBe(1);
    expect(await attemptsAfter(1)).toBe(2);
    expect(await attemptsAfter(2999)).toBe(2);
    expect(await attemptsAfter(1)).toBe(3);
    store.down = false;
    expect(await attemptsAfter(3000)).toBe(4);
    expect(await store.count()).toBe(150);
    expect(mailserver.load.archivePending).toBe(0);
    expect(mailserver.counters).toMatchObject({ archived: 150, archiveDropped: 0, archiveErrors: 0 });
  });

  it('a write that succeeds while envelopes wait retries them at once', async () => {
    const store = new FlakyStore();
    const { mailserver } = server(store);
    const archived: number[] = [];
    mailserver.on('archived', (e) => archived.push(e.length));
    store.down = true;
    await mailserver.archive(envelopes(20));
    store.down = false;
    await mailserver.archive(envelopes(1));
    await mailserver.flush();
    expect(await store.count()).toBe(21);
    expect(mailserver.load.archivePending).toBe(0);
    expect(archived).toEqual([1, 20]);
  });

  it('archiveRetryMaxEnvelopes caps the queue: what overflows is dropped and counted', async () => {
    const store = new FlakyStore();
    store.down = true;
    const { mailserver } = server(store, { archiveRetryMaxEnvelopes: 100 });
    await mailserver.archive(envelopes(60));
    await mailserver.archive(envelopes(60));
    await mailserver.archive(envelopes(30));
    expect(mailserver.load.archivePending).toBe(100);
    expect(mailserver.counters).toMatchObject({ archiveQueued: 100, archiveDropped: 50, archiveErrors: 0 });
    // Nothing is lost below the cap: the 100 queued are all written once the store is back.
    store.down = false;
    await mailserver.retryArchive();
    expect(await store.count()).toBe(100);
    expect(mailserver.counters.archiveDropped).toBe(50);
  });

  it('archiveRetryMaxBytes caps the queue by size', async () => {
    const store = new FlakyStore();
    store.down = true;
    const size = envelopes(1)[0]!.raw.length;
    const { mailserver } = server(store, { archiveRetryMaxBytes: 10 * size });
    await mailserver.archive(envelopes(25));
    expect(mailserver.load).toMatchObject({ archivePending: 10, archivePendingBytes: 10 * size });
    expect(mailserver.counters.archiveDropped).toBe(15);
  });

  it('an always-failing store: the queue stays at its cap, every later envelope is dropped and counted', async () => {
    const store = new FlakyStore();
    store.down = true;
    const { clock, mailserver } = server(store, {
      archiveRetryMaxEnvelopes: 40,
      archiveRetryMinDelayMs: 100,
      archiveRetryMaxDelayMs: 100,
    });
    for (let i = 0; i < 10; i++) {
      await mailserver.archive(envelopes(10));
      clock.advance(100);
      await mailserver.flush();
    }
    expect(mailserver.load.archivePending).toBe(40);
    expect(mailserver.counters.archiveDropped).toBe(60);
    expect(mailserver.counters.archiveRetries).toBeGreaterThanOrEqual(9);
    // stop() tries once more and drops (counting) what still fails.
    await mailserver.stop();
    expect(mailserver.load.archivePending).toBe(0);
    expect(mailserver.counters.archiveDropped).toBe(100);
    expect(await store.count()).toBe(0);
  });

  it('an error that is not transient is not retried (counted in archiveErrors)', async () => {
    const store = new FlakyStore();
    store.down = true;
    store.failure = () =>
      new MailserverError(MailserverErrorCode.Store, 'PostgreSQL write failed', {
        cause: Object.assign(new Error('value too long'), { code: '22001' }),
      });
    const { clock, mailserver } = server(store);
    await mailserver.archive(envelopes(5));
    expect(mailserver.counters).toMatchObject({ archiveErrors: 5, archiveQueued: 0 });
    expect(mailserver.load.archivePending).toBe(0);
    clock.advance(60_000);
    await mailserver.flush();
    expect(store.puts).toBe(1);
  });

  it('isTransientStoreError: connection, restart, resource and lock failures along the cause chain', () => {
    const err = (props: Record<string, unknown>, message = 'x') => Object.assign(new Error(message), props);
    const wrapped = (cause: unknown) =>
      new MailserverError(MailserverErrorCode.Store, 'write failed', { cause });
    for (const transient of [
      err({ code: 'ECONNREFUSED' }),
      err({ code: 'ECONNRESET' }),
      err({ code: '57P01' }), // admin shutdown
      err({ code: '57P03' }), // cannot connect now
      err({ code: '08006' }), // connection failure
      err({ code: '53300' }), // too many connections
      err({ code: 'SQLITE_BUSY' }),
      err({ code: 'SQLITE_IOERR_WRITE' }),
      err({}, 'Connection terminated unexpectedly'),
      err({ transient: true }),
      new AggregateError([err({ code: 'ECONNREFUSED' })]),
    ]) {
      expect(isTransientStoreError(wrapped(transient)), String(transient)).toBe(true);
    }
    for (const permanent of [
      err({ code: '23505' }), // unique violation
      err({ code: 'SQLITE_CONSTRAINT' }),
      new TypeError('The database connection is not open'),
      undefined,
    ]) {
      expect(isTransientStoreError(wrapped(permanent)), String(permanent)).toBe(false);
    }
  });

  it('rejects invalid archive retry options', () => {
    const store = new MemoryEnvelopeStore();
    for (const options of [
      { archiveRetryMaxEnvelopes: -1 },
      { archiveRetryMaxEnvelopes: 1.5 },
      { archiveRetryMaxBytes: Number.NaN },
      { archiveRetryMinDelayMs: 0 },
      { archiveRetryMinDelayMs: 5000, archiveRetryMaxDelayMs: 1000 },
    ]) {
      expect(() => new MailServer({ store, ...options }), JSON.stringify(options)).toThrow(
        expect.objectContaining({ code: 'ERR_MAILSERVER_INVALID_OPTIONS' }),
      );
    }
    expect(DEFAULT_ARCHIVE_RETRY_MAX_ENVELOPES).toBe(10_000);
    expect(DEFAULT_ARCHIVE_RETRY_MAX_BYTES).toBe(32 * 1024 * 1024);
  });
});

describe('archive retry over a real PostgreSQL outage', () => {
  let pg: TestPostgres | undefined;
  beforeAll(async () => {
    pg = await startPostgres('mailserver_retry');
  });
  afterAll(async () => {
    await pg?.stop();
  });

  it('envelopes that arrive while PostgreSQL is down are all archived once it is back, none dropped', async () => {
    const store = new PostgresEnvelopeStore({
      connection: { ...pg!.connection, connectionTimeoutMillis: 2000 },
      table: 'env_outage',
    });
    await store.init();
    const { clock, mailserver } = server(store, { archiveRetryMinDelayMs: 500 });
    try {
      await mailserver.archive(envelopes(50));
      expect(await store.count()).toBe(50);
      pg!.pause();
      for (let i = 0; i < 6; i++) await mailserver.archive(envelopes(50));
      expect(mailserver.counters.archiveErrors).toBe(0);
      expect(mailserver.load.archivePending).toBe(300);
      // Still down when the first retry comes: it fails and backs off.
      clock.advance(500);
      await mailserver.flush();
      expect(mailserver.counters.archiveRetries).toBe(1);
      expect(mailserver.load.archivePending).toBe(300);
      pg!.resume();
      clock.advance(1000);
      await mailserver.flush();
      expect(mailserver.load.archivePending).toBe(0);
      expect(await store.count()).toBe(350);
      expect(mailserver.counters).toMatchObject({ archived: 350, archiveDropped: 0, archiveErrors: 0 });
    } finally {
      await mailserver.stop();
      await store.close();
    }
  });
});
