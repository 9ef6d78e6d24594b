import { ManualClock } from '@status-ts/core';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryPeerCache, PeerPool, type PeerPoolOptions, StaticPeerSource } from '../src/index.js';
import { advance, FakeDialer, flush, idOf, makeEnr, T0 } from './helpers.js';

const pools: PeerPool[] = [];
afterEach(async () => {
  for (const p of pools.splice(0)) await p.stop();
});

// The README setup: 2 relayers and 1 mailserver, which also registers as a relayer.
const mailserver = makeEnr({ roles: ['whisper', 'whispermail'] });
const relayer1 = makeEnr({ roles: ['whisper'] });
const relayer2 = makeEnr({ roles: ['whisper'] });
const TOPICS = { whisper: { min: 2, max: 2 }, whispermail: { min: 1, max: 1 } };

function setup(options: Partial<PeerPoolOptions> = {}) {
  const clock = new ManualClock(T0);
  const dialer = new FakeDialer(clock);
  const source = new StaticPeerSource({
    whisper: [mailserver, relayer1, relayer2],
    whispermail: [mailserver],
  });
  const pool = new PeerPool({
    dialer,
    clock,
    sources: [source],
    topics: TOPICS,
    // The mailserver is found through a source here: opted in.
    useDiscoveredMailservers: true,
    ...options,
  });
  pools.push(pool);
  return { clock, dialer, pool };
}

const connectedIds = (pool: PeerPool, topic: string) =>
  pool
    .peers(topic)
    .map((p) => p.id)
    .sort();

describe('a peer serving several topics', () => {
  it('a mailserver dialed as a relayer also counts as the mailserver, without a second dial', async () => {
    const { clock, dialer, pool } = setup();
    await pool.start();
    await advance(clock, 12_000);
    expect(pool.topicStatus('whisper')).toMatchObject({ connected: 2, dialing: 0 });
    expect(pool.topicStatus('whispermail')).toMatchObject({ connected: 1, dialing: 0 });
    expect(pool.mailserver?.id).toBe(idOf(mailserver));
    expect(dialer.attempts(idOf(mailserver))).toBe(1);
    // One connection serves both topics: two connections in all, each topic within its limits.
    expect(dialer.connected.size).toBe(2);
    expect(pool.peers()).toHaveLength(2);
    expect(connectedIds(pool, 'whisper')).toContain(idOf(mailserver));
    expect(connectedIds(pool, 'whispermail')).toEqual([idOf(mailserver)]);
    // Both topics are satisfied, so discovery stops.
    expect(pool.discovering).toBe(false);
  });

  it('a relayer that is also a mailserver is counted by whispermail once it has room, without a dial', async () => {
    const otherMailserver = makeEnr({ roles: ['whispermail'] });
    const clock = new ManualClock(T0);
    const dialer = new FakeDialer(clock);
    const source = new StaticPeerSource({
      whisper: [mailserver, relayer1],
      whispermail: [otherMailserver, mailserver],
    });
    const pool = new PeerPool({
      dialer,
      clock,
      sources: [source],
      topics: TOPICS,
      useDiscoveredMailservers: true,
    });
    pools.push(pool);
    const added: string[] = [];
    pool.on('peer:added', (e) => {
      if (e.id === idOf(mailserver)) added.push(e.topic);
    });
    await pool.start();
    await advance(clock, 12_000);
    expect(pool.mailserver?.id).toBe(idOf(otherMailserver));
    expect(added).toEqual(['whisper']);

    dialer.decide = (id) => (id === idOf(otherMailserver) ? 'fail' : 'ok');
    dialer.connected.get(idOf(otherMailserver))!.drop();
    await advance(clock, 4_000);
    expect(pool.mailserver?.id).toBe(idOf(mailserver));
    expect(added).toEqual(['whisper', 'whispermail']);
    expect(dialer.attempts(idOf(mailserver))).toBe(1);
    expect(pool.topicStatus('whisper')).toMatchObject({ connected: 2, dialing: 0 });
    expect(pool.topicStatus('whispermail')).toMatchObject({ connected: 1, dialing: 0 });
  });

  it('a drop removes the peer from every topic, and each topic searches again', async () => {
    const { clock, dialer, pool } = setup();
    const dropped: string[] = [];
    pool.on('peer:dropped', (e) => dropped.push(e.topic));
    const changes: Array<string | undefined> = [];
    pool.on('mailserver:changed', (m) => changes.push(m?.id));
    await pool.start();
    await advance(clock, 12_000);
    expect(pool.discovering).toBe(false);

    // The mailserver is unreachable for a moment after it drops, so the state in between can be seen.
    dialer.decide = (id) => (id === idOf(mailserver) ? 'fail' : 'ok');
    dialer.connected.get(idOf(mailserver))!.drop();
    await flush(8);
    expect(dropped.sort()).toEqual(['whisper', 'whispermail']);
    expect(pool.topicStatus('whispermail')!.connected).toBe(0);
    expect(connectedIds(pool, 'whisper')).not.toContain(idOf(mailserver));
    expect(changes).toEqual([idOf(mailserver), undefined]);
    expect(pool.topicStatus('whispermail')!.searching).toBe(true);
    expect(pool.topicStatus('whisper')!.searching).toBe(true);

    // Refilled: whisper takes relayer2 at once; the mailserver, back after its backoff, is dialed once more
    // and counted by both topics again.
    dialer.decide = () => 'ok';
    await advance(clock, 12_000);
    expect(pool.topicStatus('whisper')).toMatchObject({ connected: 2, dialing: 0 });
    expect(pool.topicStatus('whispermail')).toMatchObject({ connected: 1, dialing: 0 });
    expect(pool.mailserver?.id).toBe(idOf(mailserver));
    expect(connectedIds(pool, 'whisper')).not.toContain(idOf(mailserver));
    for (const topic of ['whisper', 'whispermail']) {
      const status = pool.topicStatus(topic)!;
      expect(status.connected + status.dialing).toBeLessThanOrEqual(status.limits.max);
    }
  });

  it('stores the shared peer in the cache under each topic that counted it', async () => {
    const cache = new MemoryPeerCache();
    const { clock, pool } = setup({ cache });
    await pool.start();
    await advance(clock, 4_000);
    const cached = async (topic: string) => (await cache.list(topic)).map((p) => p.id);
    expect(await cached('whispermail')).toEqual([idOf(mailserver)]);
    expect(await cached('whisper')).toContain(idOf(mailserver));
  });

  it('never counts a shared peer beyond a full topic', async () => {
    const otherMailserver = makeEnr({ roles: ['whisper', 'whispermail'] });
    const clock = new ManualClock(T0);
    const dialer = new FakeDialer(clock);
    const source = new StaticPeerSource({
      whisper: [mailserver, otherMailserver],
      whispermail: [otherMailserver, mailserver],
    });
    const pool = new PeerPool({
      dialer,
      clock,
      sources: [source],
      topics: TOPICS,
      useDiscoveredMailservers: true,
    });
    pools.push(pool);
    await pool.start();
    await advance(clock, 12_000);
    expect(pool.topicStatus('whisper')).toMatchObject({ connected: 2, dialing: 0 });
    expect(pool.topicStatus('whispermail')).toMatchObject({ connected: 1, dialing: 0 });
    expect(dialer.connected.size).toBe(2);
    expect(dialer.dials).toHaveLength(2);
  });

  it('a shared mailserver that fails its probe stays connected as a relayer, backed off as a mailserver', async () => {
    let broken = false;
    const { clock, dialer, pool } = setup({
      mailserverProbe: async () => {
        if (broken) throw new Error('no answer');
        return 5;
      },
    });
    const failed: string[] = [];
    pool.on('peer:failed', (e) => failed.push(e.topic));
    await pool.start();
    await advance(clock, 4_000);
    expect(pool.mailserver).toMatchObject({ id: idOf(mailserver), rttMs: 5 });

    broken = true;
    await advance(clock, 61_000, 1_000);
    expect(failed).toContain('whispermail');
    expect(failed).not.toContain('whisper');
    expect(dialer.connected.has(idOf(mailserver))).toBe(true);
    expect(connectedIds(pool, 'whisper')).toContain(idOf(mailserver));
    expect(dialer.attempts(idOf(mailserver))).toBe(1);
  });
});
