import { ManualClock } from '@status-ts/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type ConnectedPeer, PeerPool, type PeerPoolOptions } from '../src/index.js';
import { advance, FakeDialer, FakeSource, flush, idOf, makeEnr, T0 } from './helpers.js';

const pools: PeerPool[] = [];
afterEach(async () => {
  for (const p of pools.splice(0)) await p.stop();
});

const MAIL = ['whisper', 'whispermail'];

function setup(options: Partial<PeerPoolOptions>) {
  const clock = new ManualClock(T0);
  const dialer = new FakeDialer(clock);
  // These tests find their mailservers through a source: they opt in to discovered mailservers.
  const pool = new PeerPool({
    dialer,
    clock,
    topics: { whispermail: { min: 2, max: 2 } },
    useDiscoveredMailservers: true,
    ...options,
  });
  pools.push(pool);
  const changes: Array<string | undefined> = [];
  pool.on('mailserver:changed', (m) => changes.push(m?.id));
  return { clock, dialer, pool, changes };
}

describe('mailserver selection', () => {
  it('selects the lowest RTT, and switches when the selected one fails its probe', async () => {
    const [fast, slow, spare] = [
      makeEnr({ roles: MAIL }),
      makeEnr({ roles: MAIL }),
      makeEnr({ roles: MAIL }),
    ];
    const rtt = new Map([
      [idOf(fast), 10],
      [idOf(slow), 50],
      [idOf(spare), 30],
    ]);
    const broken = new Set<string>();
    const probe = async (peer: ConnectedPeer) => {
      if (broken.has(peer.id)) throw new Error('no answer');
      return rtt.get(peer.id)!;
    };
    const { clock, dialer, pool, changes } = setup({
      sources: [FakeSource.of('fake', [fast, slow, spare])],
      mailserverProbe: probe,
    });
    await pool.start();
    await flush(8);
    expect(dialer.connected.size).toBe(2);
    expect(pool.mailserver?.id).toBe(idOf(fast));
    expect(pool.mailserver?.rttMs).toBe(10);
    expect(changes).toEqual([idOf(fast)]);

    broken.add(idOf(fast));
    await advance(clock, 60_000, 1_000);
    // The failed one is dropped and backed off; the other connected one is selected, and the pool refills.
    expect(changes).toEqual([idOf(fast), idOf(slow)]);
    expect(dialer.connected.has(idOf(fast))).toBe(false);
    expect(dialer.connected.has(idOf(spare))).toBe(true);
    await advance(clock, 60_000, 1_000);
    // Re-probed: the spare answers faster than the selected one.
    expect(pool.mailserver?.id).toBe(idOf(spare));
  });

  it('a probe that hangs fails after the probe timeout', async () => {
    const [a, b] = [makeEnr({ roles: MAIL }), makeEnr({ roles: MAIL })];
    let hang = false;
    const { clock, pool } = setup({
      sources: [FakeSource.of('fake', [a, b])],
      mailserverProbe: async (peer) => {
        if (hang && peer.id === idOf(a)) await new Promise(() => {});
        return peer.id === idOf(a) ? 1 : 2;
      },
      timing: { mailserverProbeTimeoutMs: 5_000 },
    });
    await pool.start();
    await flush(8);
    expect(pool.mailserver?.id).toBe(idOf(a));
    hang = true;
    await advance(clock, 66_000, 1_000);
    expect(pool.mailserver?.id).toBe(idOf(b));
  });

  it('switches at once when the selected mailserver disconnects, and resumes a suspended search', async () => {
    const records = [makeEnr({ roles: MAIL }), makeEnr({ roles: MAIL }), makeEnr({ roles: MAIL })];
    const source = FakeSource.of('fake', records);
    const { clock, dialer, pool, changes } = setup({
      sources: [source],
      topics: { whispermail: { min: 1, max: 2 } },
    });
    await pool.start();
    await flush(8);
    const first = pool.mailserver!.id;
    await advance(clock, 10_000);
    expect(pool.discovering).toBe(false);
    dialer.connected.get(first)!.drop();
    await flush(8);
    expect(pool.mailserver?.id).not.toBe(first);
    expect(pool.mailserver).toBeDefined();
    expect(changes).toHaveLength(2);
    // Losing the mailserver restarted the search although the topic is still at min.
    expect(pool.discovering).toBe(true);
    expect(source.finds).toBe(2);
  });

  it('with a configured list, dials only those mailservers (any form of target)', async () => {
    const trusted = makeEnr({ roles: ['whisper'] });
    const discovered = makeEnr({ roles: MAIL });
    const { dialer, pool } = setup({
      sources: [FakeSource.of('fake', [discovered])],
      mailservers: [`enode://${idOf(trusted)}@127.0.0.1:${trusted.tcp}`],
      topics: { whispermail: { min: 1, max: 1 } },
    });
    await pool.start();
    await flush(8);
    expect(dialer.dials.map((d) => d.id)).toEqual([idOf(trusted)]);
    expect(pool.mailserver?.id).toBe(idOf(trusted));
  });
});
