import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@status-ts/core';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryPeerCache, type PeerCache, PeerPool, PeerPoolErrorCode } from '../src/index.js';
import { JsonFilePeerCache, MAX_CACHE_FILE_BYTES, parseCacheFile } from '../src/json-file/index.js';
import { openPeerPoolSqliteStore } from '../src/sqlite/index.js';
import { advance, FakeDialer, FakeSource, flush, idOf, makeEnr, T0 } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'peerpool-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
const freshPath = (ext: string) => join(dir, `cache-${fileNo++}.${ext}`);

interface Kind {
  name: string;
  /** Opens a cache; the same `path` opens the same storage again (restart). */
  open(path: string, limit?: number): Promise<PeerCache>;
  ext: string;
}

const kinds: Kind[] = [
  {
    name: 'json file',
    ext: 'json',
    open: (path, limit) => JsonFilePeerCache.open({ path, ...(limit ? { limit } : {}) }),
  },
  {
    name: 'sqlite file',
    ext: 'db',
    open: async (path, limit) => openPeerPoolSqliteStore(path, limit ? { limit } : {}),
  },
];

describe.each([
  ...kinds,
  {
    name: 'memory',
    ext: 'mem',
    open: async (_p: string, limit?: number) => new MemoryPeerCache(limit ? { limit } : {}),
  },
])('PeerCache compliance: $name', (kind) => {
  it('keeps peers per topic, newest first, bounded, and yields them as a PeerSource', async () => {
    const cache = await kind.open(freshPath(kind.ext), 3);
    const records = Array.from({ length: 5 }, () => makeEnr());
    for (const [i, enr] of records.entries()) await cache.add('whisper', enr, 1_000 + i);
    await cache.add('whispermail', records[0]!, 5);
    const listed = await cache.list('whisper');
    expect(listed.map((p) => p.id)).toEqual([records[4], records[3], records[2]].map((r) => idOf(r!)));
    expect(listed[0]).toMatchObject({ topic: 'whisper', lastConnectedAt: 1_004 });
    expect((await cache.list('whisper', 1)).map((p) => p.id)).toEqual([idOf(records[4]!)]);
    expect((await cache.list('whispermail')).map((p) => p.id)).toEqual([idOf(records[0]!)]);
    // Refreshing a peer moves it to the front.
    await cache.add('whisper', records[2]!, 2_000);
    expect((await cache.list('whisper'))[0]?.id).toBe(idOf(records[2]!));
    await cache.remove('whisper', idOf(records[2]!));
    expect((await cache.list('whisper')).map((p) => p.id)).not.toContain(idOf(records[2]!));
    const found: string[] = [];
    for await (const enr of cache.find('whisper')) found.push(idOf(enr));
    expect(found).toEqual([records[4], records[3]].map((r) => idOf(r!)));
    expect(cache.name).toBe('cache');
    const aborted = new AbortController();
    aborted.abort();
    for await (const _ of cache.find('whisper', aborted.signal)) expect.fail('aborted find yields nothing');
    await cache.close();
  });
});

describe.each(kinds)('PeerCache persistence: $name', (kind) => {
  it('keeps its peers across a reopen', async () => {
    const path = freshPath(kind.ext);
    const enr = makeEnr();
    const first = await kind.open(path);
    await first.add('whisper', enr, 42);
    await first.close();
    const second = await kind.open(path);
    const [peer] = await second.list('whisper');
    expect(peer?.id).toBe(idOf(enr));
    expect(peer?.enr.encodeText()).toBe(enr.encodeText());
    expect(peer?.lastConnectedAt).toBe(42);
    await second.close();
  });

  it('is used first on restart: a warm start connects from the cache without asking any source', async () => {
    const path = freshPath(kind.ext);
    const records = Array.from({ length: 4 }, () => makeEnr());
    const clock = new ManualClock(T0);
    const dialer = new FakeDialer(clock);
    const topics = { whisper: { min: 2, max: 2 } };
    const cold = await kind.open(path);
    const pool = new PeerPool({
      dialer,
      clock,
      topics,
      sources: [FakeSource.of('fake', records)],
      cache: cold,
    });
    await pool.start();
    await flush();
    expect(pool.peers()).toHaveLength(2);
    await pool.stop();
    await cold.close();

    const warmDialer = new FakeDialer(clock);
    const source = FakeSource.of('fake', records.slice(2));
    const warm = await kind.open(path);
    const again = new PeerPool({ dialer: warmDialer, clock, topics, sources: [source], cache: warm });
    const sources: string[] = [];
    again.on('peer:added', (e) => sources.push(e.source));
    await again.start();
    await flush();
    expect(sources).toEqual(['cache', 'cache']);
    expect(warmDialer.dials.map((d) => d.id).sort()).toEqual(records.slice(0, 2).map(idOf).sort());
    expect(source.finds).toBe(0);
    expect(again.summary().sources).toEqual({});
    await again.stop();
    await warm.close();
  });

  it('drops a cached peer whose dial fails and backs it off; discovery fills in', async () => {
    const path = freshPath(kind.ext);
    const stale = makeEnr();
    const fresh = makeEnr();
    const cache = await kind.open(path);
    await cache.add('whisper', stale, 1);
    const clock = new ManualClock(T0);
    const dialer = new FakeDialer(clock);
    dialer.decide = (id) => (id === idOf(stale) ? 'fail' : 'ok');
    const pool = new PeerPool({
      dialer,
      clock,
      topics: { whisper: { min: 1, max: 1 } },
      sources: [FakeSource.of('fake', [stale, fresh])],
      cache,
    });
    await pool.start();
    await flush();
    expect(dialer.dials.map((d) => d.id)).toEqual([idOf(stale), idOf(fresh)]);
    expect((await cache.list('whisper')).map((p) => p.id)).toEqual([idOf(fresh)]);
    await advance(clock, 4_000);
    expect(dialer.attempts(idOf(stale))).toBe(1);
    await pool.stop();
    await cache.close();
  });
});

describe('JSON cache file: bad input', () => {
  it('rejects what is not a cache file with ERR_PEERPOOL_BAD_CACHE_FILE', () => {
    for (const text of [
      '{',
      '[]',
      'null',
      '{"version":2,"topics":{}}',
      '{"version":1}',
      '{"version":1,"topics":{"a":5}}',
      // A version no String() can print (fuzz finding): still the typed error.
      '{"version":{"toString":1}}',
    ]) {
      expect(() => parseCacheFile(text, 10)).toThrow(
        expect.objectContaining({ code: PeerPoolErrorCode.BadCacheFile }),
      );
    }
    expect(() => parseCacheFile(' '.repeat(MAX_CACHE_FILE_BYTES + 1), 10)).toThrow(/larger than/);
  });

  it('skips single bad records and keeps the rest', async () => {
    const good = makeEnr();
    const tampered = `${makeEnr().encodeText().slice(0, -4)}AAAA`;
    const path = freshPath('json');
    writeFileSync(
      path,
      JSON.stringify({
        version: 1,
        topics: { whisper: [{ enr: good.encodeText(), at: 1 }, { enr: tampered, at: 2 }, { enr: 5 }, null] },
      }),
    );
    const cache = await JsonFilePeerCache.open({ path });
    expect(cache.skipped).toBe(3);
    expect((await cache.list('whisper')).map((p) => p.id)).toEqual([idOf(good)]);
    await cache.close();
    await expect(JsonFilePeerCache.open({ path: dir })).rejects.toMatchObject({
      code: PeerPoolErrorCode.BadCacheFile,
    });
  });

  it('a missing file is an empty cache; the SQLite cache refuses a bad limit', async () => {
    const cache = await JsonFilePeerCache.open({ path: freshPath('json') });
    expect(await cache.list('whisper')).toEqual([]);
    expect(() => openPeerPoolSqliteStore(freshPath('db'), { limit: 0 })).toThrow(/limit/);
  });
});
