import { describe, expect, it } from 'vitest';
import { SQLITE_WAL_AUTOCHECKPOINT_PAGES, SqliteEnvelopeStore } from '../src/index.js';
import { makeEnvelope, TOPIC_A, TOPIC_B, TOPIC_C } from './helpers/envelopes.js';

const T0 = 1_700_000_000;

describe('SqliteEnvelopeStore tuning', () => {
  it('sets the WAL auto-checkpoint threshold: default, given, and rejects a bad value', async () => {
    const byDefault = new SqliteEnvelopeStore({ path: ':memory:' });
    expect(byDefault.db.pragma('wal_autocheckpoint', { simple: true })).toBe(SQLITE_WAL_AUTOCHECKPOINT_PAGES);
    await byDefault.close();
    const given = new SqliteEnvelopeStore({ path: ':memory:', walAutocheckpointPages: 250 });
    expect(given.db.pragma('wal_autocheckpoint', { simple: true })).toBe(250);
    await given.close();
    for (const bad of [-1, 1.5, Number.NaN]) {
      expect(() => new SqliteEnvelopeStore({ path: ':memory:', walAutocheckpointPages: bad })).toThrow(
        expect.objectContaining({ code: 'ERR_MAILSERVER_INVALID_OPTIONS' }),
      );
    }
  });

  it('a multi-topic page merges per-topic key-ordered scans of the covering (topic, key) index', async () => {
    const store = new SqliteEnvelopeStore({ path: ':memory:' });
    const envs = Array.from({ length: 300 }, (_, i) =>
      makeEnvelope(T0 + i, [TOPIC_A, TOPIC_B, TOPIC_C][i % 3]!),
    );
    await store.put(envs);
    const page = await store.query({ lower: T0, upper: T0 + 300, topics: [TOPIC_A, TOPIC_C], limit: 5 });
    expect(page.envelopes.map((e) => e.expiry - e.ttl)).toEqual([0, 2, 3, 5, 6].map((d) => T0 + d));
    const plan = store.db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT key FROM envelopes WHERE topic = ? AND key >= ? AND key <= ? ORDER BY key LIMIT 5`,
      )
      .all(Buffer.from(TOPIC_A), Buffer.alloc(40), Buffer.alloc(40, 0xff)) as { detail: string }[];
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/COVERING INDEX envelopes_topic_key/);
    await store.close();
  });
});
