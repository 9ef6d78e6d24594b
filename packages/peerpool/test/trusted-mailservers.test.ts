import { ManualClock } from '@status-ts/core';
import { afterEach, describe, expect, it } from 'vitest';
import { isPeerPoolError, MemoryPeerCache, PeerPool, type PeerPoolOptions } from '../src/index.js';
import { advance, FakeDialer, FakeSource, flush, idOf, makeEnr, T0 } from './helpers.js';

const pools: PeerPool[] = [];
afterEach(async () => {
  for (const p of pools.splice(0)) await p.stop();
});

const MAIL = ['whisper', 'whispermail'];

function setup(options: Partial<PeerPoolOptions>) {
  const clock = new ManualClock(T0);
  const dialer = new FakeDialer(clock);
  const pool = new PeerPool({ dialer, clock, topics: { whispermail: { min: 1, max: 1 } }, ...options });
  pools.push(pool);
  return { clock, dialer, pool };
}

// status-go dials mailservers only from its fleet list and the user's own (protocol/messenger_mailserver*.go);
// its `whispermail` topic pool caches a found node only when the trusted-mailserver verifier accepts it
// (peers/cotopicpool.go). A record that merely claims the role proves nothing.
describe('mailservers: trusted list and cache by default, discovered ones only on opt-in', () => {
  it('by default a discovered node claiming whispermail is neither dialed nor selected, and counted', async () => {
    const claimant = makeEnr({ roles: MAIL });
    const { clock, dialer, pool } = setup({
      sources: [FakeSource.of('discv5', { whispermail: [claimant] })],
    });
    await pool.start();
    await advance(clock, 10_000);
    expect(dialer.dials).toEqual([]);
    expect(pool.mailserver).toBeUndefined();
    expect(pool.summary().topics.whispermail?.untrusted).toBeGreaterThanOrEqual(1);
  });

  it('by default a relayer that also claims whispermail is not counted as a mailserver nor cached as one', async () => {
    const dual = makeEnr({ roles: MAIL });
    const cache = new MemoryPeerCache();
    const { clock, pool } = setup({
      sources: [FakeSource.of('discv5', { whisper: [dual], whispermail: [dual] })],
      topics: { whisper: { min: 1, max: 1 }, whispermail: { min: 1, max: 1 } },
      cache,
    });
    await pool.start();
    await advance(clock, 10_000);
    expect(pool.topicStatus('whisper')).toMatchObject({ connected: 1 });
    expect(pool.topicStatus('whispermail')).toMatchObject({ connected: 0, dialing: 0 });
    expect(pool.mailserver).toBeUndefined();
    expect(await cache.list('whispermail')).toEqual([]);
  });

  it('with useDiscoveredMailservers: true a discovered whispermail node is dialed, selected and cached', async () => {
    const claimant = makeEnr({ roles: MAIL });
    const cache = new MemoryPeerCache();
    const { dialer, pool } = setup({
      sources: [FakeSource.of('discv5', { whispermail: [claimant] })],
      useDiscoveredMailservers: true,
      cache,
    });
    await pool.start();
    await flush(8);
    expect(dialer.dials.map((d) => d.id)).toEqual([idOf(claimant)]);
    expect(pool.mailserver?.id).toBe(idOf(claimant));
    expect((await cache.list('whispermail')).map((c) => c.id)).toEqual([idOf(claimant)]);
  });

  it('a mailserver from the trusted list is still used by default', async () => {
    const trusted = makeEnr({ roles: ['whisper'] });
    const { dialer, pool } = setup({ mailservers: [trusted] });
    await pool.start();
    await flush(8);
    expect(dialer.dials.map((d) => d.id)).toEqual([idOf(trusted)]);
    expect(pool.mailserver?.id).toBe(idOf(trusted));
  });

  it('a mailserver from the cache is still used by default, even when its record claims no role', async () => {
    // The pool writes `whispermail` cache entries only for trusted or (opted-in) discovered mailservers, so an
    // entry there was accepted as a mailserver when stored: its record need not carry the role.
    const cached = makeEnr({ roles: ['whisper'] });
    const cache = new MemoryPeerCache();
    await cache.add('whispermail', cached, T0 - 1_000);
    const { dialer, pool } = setup({ cache });
    await pool.start();
    await flush(8);
    expect(dialer.dials.map((d) => d.id)).toEqual([idOf(cached)]);
    expect(pool.mailserver?.id).toBe(idOf(cached));
  });

  it('the pool cache given as a source is trusted too; another source with the same records is not', async () => {
    const cached = makeEnr({ roles: ['whisper'] });
    const cache = new MemoryPeerCache();
    await cache.add('whispermail', cached, T0 - 1_000);
    const { dialer, pool } = setup({ cache, sources: [cache], timing: { cacheSeed: 0 } });
    await pool.start();
    await flush(8);
    expect(pool.mailserver?.id).toBe(idOf(cached));

    const other = setup({ sources: [FakeSource.of('cache', { whispermail: [makeEnr({ roles: MAIL })] })] });
    await other.pool.start();
    await flush(8);
    expect(other.dialer.dials).toEqual([]);
    expect(dialer.dials).toHaveLength(1);
  });

  it('rejects a non-boolean useDiscoveredMailservers with ERR_PEERPOOL_INVALID_ARGUMENT', () => {
    const clock = new ManualClock(T0);
    expect(
      () =>
        new PeerPool({
          dialer: new FakeDialer(clock),
          clock,
          useDiscoveredMailservers: 'yes' as unknown as boolean,
        }),
    ).toThrowError(expect.objectContaining({ code: 'ERR_PEERPOOL_INVALID_ARGUMENT' }));
    expect(isPeerPoolError(new Error('x'))).toBe(false);
  });
});
