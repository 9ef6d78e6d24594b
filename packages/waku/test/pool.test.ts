import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_POOL_SHARE_PER_PEER, type Envelope } from '../src/index.js';
import { EnvelopePool, type PoolAdmission, type PoolEntry } from '../src/node/pool.js';

let serial = 0;

/** A pool entry over a stand-in envelope: the pool reads only `raw.length` and `expiry`. */
function entry(pow: number, options: { peer?: string; bytes?: number; expiry?: number } = {}): PoolEntry {
  const envelope = { raw: new Uint8Array(options.bytes ?? 100), expiry: options.expiry ?? 1000 };
  return {
    key: `k${serial++}`,
    envelope: envelope as unknown as Envelope,
    pow,
    local: options.peer === undefined,
    peer: options.peer,
    removed: false,
  };
}

function evicted(admission: PoolAdmission): number[] {
  if (!admission.added) throw new Error(`refused: ${admission.reason}`);
  return admission.evicted.map((e) => e.pow);
}

const pows = (pool: EnvelopePool) => [...pool.values()].map((e) => e.pow).sort((a, b) => a - b);

describe('EnvelopePool eviction', () => {
  it('evicts the lowest PoW first and refuses a newcomer worth no more than the least valuable entry', () => {
    const pool = new EnvelopePool({ maxSize: 3, maxBytes: 1e9, maxSharePerPeer: 1 });
    for (const pow of [2, 1, 3]) expect(evicted(pool.add(entry(pow, { peer: 'a' })))).toEqual([]);
    expect(evicted(pool.add(entry(2.5, { peer: 'b' })))).toEqual([1]);
    expect(pows(pool)).toEqual([2, 2.5, 3]);
    const low = pool.add(entry(0.5, { peer: 'b' }));
    expect(low).toEqual({ added: false, reason: 'poolFull' });
    // A tie keeps the incumbent: equal PoW is not worth the churn.
    expect(pool.add(entry(2, { peer: 'c' }))).toEqual({ added: false, reason: 'poolFull' });
    expect(evicted(pool.add(entry(10, { peer: 'c' })))).toEqual([2]);
    expect(pool.size).toBe(3);
  });

  it('evicts as many entries as the bytes cap needs, or none when that would cost a more valuable one', () => {
    const pool = new EnvelopePool({ maxSize: 100, maxBytes: 1000, maxSharePerPeer: 1 });
    for (const pow of [1, 2, 3, 4, 5]) pool.add(entry(pow, { peer: 'a', bytes: 200 }));
    expect(pool.bytes).toBe(1000);
    // 500 bytes need three 200-byte entries out; the third would be PoW 3 > 2.5: refused, nothing lost.
    const before = [...pool.values()];
    expect(pool.add(entry(2.5, { peer: 'b', bytes: 500 }))).toEqual({ added: false, reason: 'poolFull' });
    expect(pool.size).toBe(5);
    expect(pool.bytes).toBe(1000);
    expect(before.every((e) => !e.removed && pool.has(e.key))).toBe(true);
    expect(evicted(pool.add(entry(3.5, { peer: 'b', bytes: 500 })))).toEqual([1, 2, 3]);
    expect(pool.bytes).toBe(900);
    expect(pows(pool)).toEqual([3.5, 4, 5]);
    // Larger than the whole pool: never admitted.
    expect(pool.add(entry(1e9, { peer: 'b', bytes: 1001 }))).toEqual({ added: false, reason: 'poolFull' });
  });

  it('never evicts our own entries for a peer, and our own posts evict peer entries whatever their PoW', () => {
    const pool = new EnvelopePool({ maxSize: 3, maxBytes: 1e9, maxSharePerPeer: 1 });
    const mine = entry(0.001);
    pool.add(mine);
    pool.add(entry(50, { peer: 'a' }));
    pool.add(entry(60, { peer: 'a' }));
    // A peer's envelope worth far more than ours evicts the cheapest peer entry, not ours.
    expect(evicted(pool.add(entry(1000, { peer: 'b' })))).toEqual([50]);
    expect(pool.has(mine.key)).toBe(true);
    // Our own post is never refused while peer entries are there to make room.
    expect(evicted(pool.add(entry(0.001)))).toEqual([60]);
    expect(evicted(pool.add(entry(0.001)))).toEqual([1000]);
    expect(pool.localSize).toBe(3);
    // A pool holding only our own entries refuses everyone, ourselves included.
    expect(pool.add(entry(1e6, { peer: 'b' }))).toEqual({ added: false, reason: 'poolFull' });
    expect(pool.add(entry(1))).toEqual({ added: false, reason: 'poolFull' });
  });

  it('keeps the expiry index consistent after evictions', () => {
    const pool = new EnvelopePool({ maxSize: 4, maxBytes: 1e9, maxSharePerPeer: 1 });
    const early = [entry(1, { peer: 'a', expiry: 10 }), entry(2, { peer: 'a', expiry: 10 })];
    const late = [entry(3, { peer: 'a', expiry: 20 }), entry(4, { peer: 'a', expiry: 20 })];
    for (const e of [...early, ...late]) pool.add(e);
    const newcomers = [entry(5, { peer: 'b', expiry: 10 }), entry(6, { peer: 'b', expiry: 30 })];
    expect(evicted(pool.add(newcomers[0]!))).toEqual([1]);
    expect(evicted(pool.add(newcomers[1]!))).toEqual([2]);
    expect(early.every((e) => e.removed)).toBe(true);
    // Only entries still held come out at expiry, each once, and the byte count returns to zero.
    expect(pool.expire(15).map((e) => e.pow)).toEqual([5]);
    expect(
      pool
        .expire(25)
        .map((e) => e.pow)
        .sort(),
    ).toEqual([3, 4]);
    expect(pool.expire(100).map((e) => e.pow)).toEqual([6]);
    expect(pool.size).toBe(0);
    expect(pool.bytes).toBe(0);
    expect(pool.expire(1000)).toEqual([]);
  });
});

describe('EnvelopePool share per peer', () => {
  it("bounds each peer's entries, evicting that peer's own least valuable ones first", () => {
    // Share 1/4 of 8 envelopes and 800 bytes: 2 envelopes, 200 bytes per peer.
    const pool = new EnvelopePool({ maxSize: 8, maxBytes: 800, maxSharePerPeer: 0.25 });
    expect(pool.peerShareLimit).toEqual({ count: 2, bytes: 200 });
    pool.add(entry(5, { peer: 'a' }));
    pool.add(entry(6, { peer: 'a' }));
    const cheapOfB = entry(0.1, { peer: 'b' });
    pool.add(cheapOfB);
    // At its share, a's next envelope replaces a's own cheapest one (not b's, cheaper as it is)...
    expect(evicted(pool.add(entry(7, { peer: 'a' })))).toEqual([5]);
    expect(pool.has(cheapOfB.key)).toBe(true);
    // ...and is refused when it is worth less than all of a's.
    expect(pool.add(entry(1, { peer: 'a' }))).toEqual({ added: false, reason: 'peerShare' });
    expect(pool.shareOf('a')).toEqual({ count: 2, bytes: 200 });
    // The bytes share counts too: a 150-byte envelope from b needs b's 100-byte entry out.
    expect(evicted(pool.add(entry(2, { peer: 'b', bytes: 150 })))).toEqual([0.1]);
    expect(pool.shareOf('b')).toEqual({ count: 1, bytes: 150 });
    // Our own entries have no share.
    for (let i = 0; i < 4; i++) evicted(pool.add(entry(1)));
    expect(pool.size).toBe(7);
  });

  it('releases a share when its entries expire or are evicted', () => {
    const pool = new EnvelopePool({ maxSize: 4, maxBytes: 1e9, maxSharePerPeer: 0.5 });
    pool.add(entry(1, { peer: 'a', expiry: 10 }));
    pool.add(entry(2, { peer: 'a', expiry: 20 }));
    expect(pool.add(entry(0.5, { peer: 'a', expiry: 20 }))).toEqual({ added: false, reason: 'peerShare' });
    pool.expire(15);
    expect(pool.shareOf('a')).toEqual({ count: 1, bytes: 100 });
    evicted(pool.add(entry(0.5, { peer: 'a', expiry: 20 })));
    // b fills the rest; our own posts then evict a's entries, releasing a's share.
    pool.add(entry(3, { peer: 'b', expiry: 20 }));
    pool.add(entry(4, { peer: 'b', expiry: 20 }));
    expect(evicted(pool.add(entry(1, { expiry: 20 })))).toEqual([0.5]);
    expect(evicted(pool.add(entry(1, { expiry: 20 })))).toEqual([2]);
    expect(pool.shareOf('a')).toEqual({ count: 0, bytes: 0 });
    pool.expire(100);
    expect(pool.shareOf('b')).toEqual({ count: 0, bytes: 0 });
    expect(pool.localSize).toBe(0);
  });
});

describe('EnvelopePool bookkeeping', () => {
  it('gets an entry by key, undefined for a key it does not hold', () => {
    const pool = new EnvelopePool({ maxSize: 4, maxBytes: 1e9, maxSharePerPeer: 1 });
    const e = entry(1, { peer: 'a' });
    pool.add(e);
    expect(pool.get(e.key)).toBe(e);
    expect(pool.get('nope')).toBeUndefined();
  });

  it("admits a peer's envelope of exactly its byte share, refuses one byte more without evicting", () => {
    const pool = new EnvelopePool({ maxSize: 10, maxBytes: 1000, maxSharePerPeer: 0.5 });
    const cheap = entry(0.1, { peer: 'a', bytes: 10 });
    pool.add(cheap);
    expect(pool.add(entry(5, { peer: 'b', bytes: 501 }))).toEqual({ added: false, reason: 'peerShare' });
    expect(pool.add(entry(5, { peer: 'a', bytes: 501 }))).toEqual({ added: false, reason: 'peerShare' });
    expect(pool.has(cheap.key) && !cheap.removed).toBe(true);
    expect(evicted(pool.add(entry(5, { peer: 'b', bytes: 500 })))).toEqual([]);
    expect(pool.shareOf('b')).toEqual({ count: 1, bytes: 500 });
  });

  it('keeps no per-peer shares with a share of 1 (the caps bound every peer)', () => {
    const pool = new EnvelopePool({ maxSize: 2, maxBytes: 1e9, maxSharePerPeer: 1 });
    pool.add(entry(1, { peer: 'a' }));
    pool.add(entry(2, { peer: 'a' }));
    expect(pool.shareOf('a')).toEqual({ count: 0, bytes: 0 });
    expect(evicted(pool.add(entry(3, { peer: 'a' })))).toEqual([1]);
    expect(pool.add(entry(0.5, { peer: 'a' }))).toEqual({ added: false, reason: 'poolFull' });
  });

  it('drops the bookkeeping of a peer and of an expiry second once their last entry is evicted', () => {
    // A share of 2 entries per peer.
    const pool = new EnvelopePool({ maxSize: 3, maxBytes: 1e9, maxSharePerPeer: 0.7 });
    pool.add(entry(1, { peer: 'a', expiry: 10 }));
    pool.add(entry(2, { peer: 'b', expiry: 20 }));
    pool.add(entry(3, { peer: 'b', expiry: 20 }));
    expect([pool.sharingPeers, pool.expirySeconds]).toEqual([2, 2]);
    expect(evicted(pool.add(entry(4, { peer: 'c', expiry: 20 })))).toEqual([1]);
    expect([pool.sharingPeers, pool.expirySeconds]).toEqual([2, 1]);
    expect(pool.shareOf('a')).toEqual({ count: 0, bytes: 0 });
  });

  it('marks expired entries removed', () => {
    const pool = new EnvelopePool({ maxSize: 4, maxBytes: 1e9, maxSharePerPeer: 0.5 });
    const old = entry(1, { peer: 'a', expiry: 10 });
    const mine = entry(1, { expiry: 10 });
    const fresh = entry(1, { peer: 'a', expiry: 30 });
    for (const e of [old, mine, fresh]) pool.add(e);
    expect(pool.expire(20)).toEqual([old, mine]);
    expect([old.removed, mine.removed, fresh.removed]).toEqual([true, true, false]);
    expect(pool.localSize).toBe(0);
  });

  it('clears everything: entries marked removed, counts, shares, and the heaps', () => {
    const pool = new EnvelopePool({ maxSize: 2, maxBytes: 1e9, maxSharePerPeer: 0.5 });
    const a = entry(1, { peer: 'a' });
    const mine = entry(1);
    pool.add(a);
    pool.add(mine);
    pool.clear();
    expect([a.removed, mine.removed]).toEqual([true, true]);
    expect([pool.size, pool.bytes, pool.localSize]).toEqual([0, 0, 0]);
    expect(pool.shareOf('a')).toEqual({ count: 0, bytes: 0 });
    expect(pool.expire(1e9)).toEqual([]);
    // Room for two again, and nothing stale left to evict.
    expect(evicted(pool.add(entry(5, { peer: 'a' })))).toEqual([]);
    expect(evicted(pool.add(entry(5)))).toEqual([]);
    expect(pool.add(entry(1, { peer: 'b' }))).toEqual({ added: false, reason: 'poolFull' });
  });
});

describe('EnvelopePool at 100,000 entries', () => {
  it('fills, then admits 100,000 more by eviction, lowest PoW out first (timings printed, not asserted)', () => {
    const n = 100_000;
    const raw = new Uint8Array(100);
    const light = (pow: number, peer: string): PoolEntry => ({
      key: `k${serial++}`,
      envelope: { raw, expiry: 1000 } as unknown as Envelope,
      pow,
      local: false,
      peer,
      removed: false,
    });
    // PoWs in a scrambled order (7919 is prime to n), so the heap does real work.
    const powOf = (i: number) => ((i * 7919) % n) + 1;
    const first = Array.from({ length: n }, (_, i) => light(powOf(i), `p${i % 64}`));
    const second = Array.from({ length: n }, (_, i) => light(n + powOf(i), `q${i % 64}`));
    // 64 peers under the default share of 1/8: each peer's heap is kept as in a node.
    const pool = new EnvelopePool({
      maxSize: n,
      maxBytes: 1e12,
      maxSharePerPeer: DEFAULT_MAX_POOL_SHARE_PER_PEER,
    });
    const t0 = performance.now();
    for (const e of first) pool.add(e);
    const t1 = performance.now();
    let expected = 1;
    let inOrder = true;
    for (const e of second) {
      const admission = pool.add(e);
      if (!admission.added || admission.evicted.length !== 1 || admission.evicted[0]!.pow !== expected++) {
        inOrder = false;
      }
    }
    const t2 = performance.now();
    expect(inOrder).toBe(true);
    expect(pool.size).toBe(n);
    expect(first.every((e) => e.removed) && second.every((e) => !e.removed)).toBe(true);
    expect(pool.shareOf('p0')).toEqual({ count: 0, bytes: 0 });
    expect(pool.shareOf('q0').count).toBe(Math.ceil(n / 64));
    const us = (ms: number) => ((ms / n) * 1000).toFixed(2);
    console.log(`pool of ${n}: ${us(t1 - t0)} µs per add, ${us(t2 - t1)} µs per add evicting one entry`);
  });
});
