import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SealOptions } from '../src/envelope/pow.js';
import { decodeStatusOptions, type Envelope, type ReceivedMessage, WakuCode } from '../src/index.js';
import { KEY, makeEnvelope, Nodes, RawPeer, TOPIC_A } from './helpers/nodes.js';

// Each test drives the node at the number status-go fixes, with the number written here as a literal:
// changing the default in src/constants.ts makes the matching test fail.

/** The PoW target of every seal `post()` starts; the seal itself runs at PoW 0 to keep the test fast. */
const sealTargets: number[] = [];
vi.mock('../src/envelope/pow.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/envelope/pow.js')>();
  return {
    ...original,
    sealEnvelope: (fields: Parameters<typeof original.sealEnvelope>[0], options: SealOptions) => {
      sealTargets.push(options.pow);
      return original.sealEnvelope(fields, { ...options, pow: 0 });
    },
  };
});

const nodes = new Nodes();
afterEach(async () => {
  sealTargets.length = 0;
  await nodes.stop();
});

describe('large-payload PoW target 0.000002 above 50,000 bytes (status-go largeSizeInBytes, whisperLargeSizePoW)', () => {
  it('post() seals payloads of up to 50,000 bytes at 0.002 and of 50,001 bytes at 0.000002', async () => {
    // minPow 0 so the node's own requirement never lifts the target.
    const node = await nodes.node({ minPow: 0 });
    for (const length of [49_999, 50_000, 50_001]) {
      await node.post({ topic: TOPIC_A, symKey: KEY, payload: new Uint8Array(length) });
    }
    // status-go calculatePoW: `len(payload) > 50000` takes the large-payload target.
    expect(sealTargets).toEqual([0.002, 0.002, 0.000002]);
  });
});

/** A sealed envelope whose PoW lies in [min, max): the data is random, so the leading zero bits vary. */
function envelopeWithPow(min: number, max: number): Envelope {
  for (let i = 0; i < 200; i++) {
    // RLP length * TTL near 700,000: 0 leading zero bits give PoW ~1.4e-6, 1 bit ~2.9e-6.
    const envelope = makeEnvelope(nodes.clock, { dataLength: 69_970, ttl: 10, pow: 0 });
    const pow = envelope.pow();
    if (pow >= min && pow < max) return envelope;
  }
  throw new Error(`no envelope with PoW in [${min}, ${max})`);
}

describe('advertised minimum PoW 0.000002 (status-go params.WakuMinimumPoW)', () => {
  it('a default node advertises 0.000002 in its Status, refuses envelopes below it and accepts those at or above', async () => {
    const node = await nodes.node();
    const raw = new RawPeer(node);
    await raw.status();
    const [status] = raw.of(WakuCode.Status);
    expect(decodeStatusOptions(status!.payload).powRequirement).toBe(0.000002);
    // WAKU-12: an envelope whose PoW is below the requirement is dropped, one above it is kept.
    const below = envelopeWithPow(0.000001, 0.000002);
    const above = envelopeWithPow(0.000002, 0.000004);
    await raw.sendEnvelopes([below, above]);
    expect(node.counters.dropped.lowPow).toBe(1);
    expect(node.poolSize).toBe(1);
    expect(node.counters.dropped.lowPow + node.poolSize).toBe(2);
  });
});

describe('filter queue limit 1024 (status-go messageQueueLimit)', () => {
  it('a filter nobody reads holds 1,024 messages and drops (and counts) one for the 1,025th', async () => {
    const node = await nodes.node();
    const filter = node.subscribe({ topics: [TOPIC_A], symKey: KEY });
    for (let i = 0; i < 1_024; i++) {
      await node.post({ topic: TOPIC_A, symKey: KEY, payload: Uint8Array.of(i & 0xff, i >> 8) });
    }
    expect(filter.pending).toBe(1_024);
    expect(node.counters.dropped.filterOverflow).toBe(0);
    await node.post({ topic: TOPIC_A, symKey: KEY, payload: Uint8Array.of(0xff, 0xff, 0xff) });
    expect(filter.pending).toBe(1_024);
    expect(filter.overflowed).toBe(1);
    expect(node.counters.dropped.filterOverflow).toBe(1);
    // The oldest was dropped: the first message read is the second one posted.
    const first: ReceivedMessage = await filter.next();
    expect(Array.from(first.payload)).toEqual([1, 0]);
  });
});
