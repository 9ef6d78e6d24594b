import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_RELAY_QUEUE, WakuCode, type WakuNode } from '../src/index.js';
import { advance, makeEnvelope, Nodes, RawPeer } from './helpers/nodes.js';

const nodes = new Nodes();
afterEach(() => nodes.stop());

/** Envelopes the victim relayed to `peer` so far. */
function relayedTo(peer: RawPeer): number {
  return peer.of(WakuCode.Messages).length;
}

describe('relay queue per peer (maxRelayQueue)', () => {
  it('a peer that takes envelopes slower than they arrive has at most maxRelayQueue queued; the oldest go first, counted', async () => {
    const victim: WakuNode = await nodes.node({ maxRelayQueue: 50, rateLimits: false });
    // A slow reader: it advertises 2,000 bytes a second, so the victim sends it about 20 envelopes a second.
    const slow = new RawPeer(victim);
    await slow.status({
      powRequirement: 0,
      bytesRateLimits: { ip: 0, peerId: 2_000, topic: 0 },
      packetRateLimits: { ip: 0, peerId: 100, topic: 0 },
    });
    const feeder = new RawPeer(victim);
    await feeder.status();
    for (let i = 0; i < 3; i++)
      await feeder.sendEnvelopes(
        Array.from({ length: 100 }, () => makeEnvelope(nodes.clock, { dataLength: 16 })),
      );
    expect(victim.poolSize).toBe(300);
    // 300 queued for the slow peer at once: everything beyond the last 50 is skipped.
    expect(victim.counters.dropped.relayQueueFull).toBeGreaterThanOrEqual(250 - 50);
    await advance(nodes.clock, 3_000);
    expect(relayedTo(slow)).toBeGreaterThan(0);
    // The fast peer is not affected.
    expect(victim.counters.dropped.relayQueueFull).toBeLessThan(300);
  });

  it('maxRelayQueue is validated and defaults to DEFAULT_MAX_RELAY_QUEUE', async () => {
    expect(DEFAULT_MAX_RELAY_QUEUE).toBe(10_000);
    for (const bad of [0, -1, 1.5])
      await expect(nodes.node({ maxRelayQueue: bad })).rejects.toMatchObject({
        code: 'ERR_WAKU_INVALID_OPTIONS',
      });
  });
});
