import { describe, expect, it } from 'vitest';
import type { Registration, RegistrationStore } from '../../src/index.js';
import { testEnr } from './fixtures.js';

function registration(topic: string, overrides: Partial<Registration> = {}): Registration {
  const record = testEnr();
  return {
    topic,
    nodeId: record.nodeIdHex,
    seq: record.seq,
    record: record.encode(),
    expiresAt: 10_000,
    ...overrides,
  };
}

/** One suite for every RegistrationStore implementation (memory, SQLite). */
export function registrationStoreContract(name: string, open: () => Promise<RegistrationStore>): void {
  describe(`RegistrationStore contract: ${name}`, () => {
    async function withStore(fn: (store: RegistrationStore) => Promise<void>): Promise<void> {
      const store = await open();
      try {
        await fn(store);
      } finally {
        await store.close();
      }
    }

    it('returns stored records for their topic only, byte for byte', () =>
      withStore(async (store) => {
        const a = registration('whisper');
        const b = registration('whispermail');
        await store.put(a);
        await store.put(b);
        expect(await store.random('whisper', 10, 0)).toEqual([a.record]);
        expect(await store.random('whispermail', 10, 0)).toEqual([b.record]);
        expect(await store.random('other', 10, 0)).toEqual([]);
      }));

    it('keys by (topic, node id): a refresh replaces, the same node under two topics is two records', () =>
      withStore(async (store) => {
        const first = registration('whisper', { expiresAt: 1_000 });
        await store.put(first);
        await store.put({ ...first, expiresAt: 5_000 });
        await store.put({ ...first, topic: 'whispermail' });
        expect(await store.count(0)).toBe(3 - 1);
        expect(await store.random('whisper', 10, 2_000)).toEqual([first.record]);
      }));

    it('never lets a lower seq replace a higher one', () =>
      withStore(async (store) => {
        const newer = registration('whisper', { seq: 2n ** 64n - 1n, expiresAt: 1_000 });
        await store.put(newer);
        await store.put({ ...newer, seq: 5n, record: new Uint8Array([1, 2, 3]), expiresAt: 9_000 });
        expect(await store.random('whisper', 10, 0)).toEqual([newer.record]);
        expect(await store.count(1_000)).toBe(0); // the expiry was not extended either
        await store.put({ ...newer, record: new Uint8Array([4]), expiresAt: 9_000 });
        expect(await store.random('whisper', 10, 1_000)).toEqual([new Uint8Array([4])]);
      }));

    it('returns only records live at `now` (expiresAt > now)', () =>
      withStore(async (store) => {
        await store.put(registration('whisper', { expiresAt: 100 }));
        await store.put(registration('whisper', { expiresAt: 200 }));
        expect(await store.random('whisper', 10, 99)).toHaveLength(2);
        expect(await store.random('whisper', 10, 100)).toHaveLength(1);
        expect(await store.random('whisper', 10, 200)).toHaveLength(0);
        expect(await store.count(150, 'whisper')).toBe(1);
      }));

    it('samples up to `limit` distinct records, in varying order', () =>
      withStore(async (store) => {
        for (let i = 0; i < 30; i++) await store.put(registration('whisper'));
        expect(await store.random('whisper', 0, 0)).toEqual([]);
        const picks = new Set<string>();
        for (let i = 0; i < 10; i++) {
          const records = await store.random('whisper', 10, 0);
          expect(records).toHaveLength(10);
          const keys = records.map((r) => Buffer.from(r).toString('hex'));
          expect(new Set(keys).size).toBe(10);
          for (const k of keys) picks.add(k);
        }
        expect(picks.size).toBeGreaterThan(10);
      }));

    it('removes expired registrations and reports how many', () =>
      withStore(async (store) => {
        await store.put(registration('whisper', { expiresAt: 100 }));
        await store.put(registration('whispermail', { expiresAt: 100 }));
        await store.put(registration('whisper', { expiresAt: 300 }));
        expect(await store.removeExpired(99)).toBe(0);
        expect(await store.removeExpired(100)).toBe(2);
        expect(await store.count(0)).toBe(1);
        expect(await store.removeExpired(1_000)).toBe(1);
        expect(await store.count(0)).toBe(0);
      }));
  });
}
