import { bytesToHex, hexToBytes, type ManualClock } from '@status-ts/core';
import { generatePrivateKey, getPublicKey, keccak256, randomBytes } from '@status-ts/crypto';
import { Enr } from '@status-ts/enr';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_DISCV5_LIMITS,
  Discv5ErrorCode,
  type Discv5Node,
  EndpointVotes,
  encodeRandomPacket,
  logDistance,
  MessageType,
  type RequestMessage,
  Session,
  SessionCache,
} from '../src/index.js';
import { drive, ipOf, memoryWorld, run } from './helpers.js';

// Each describe pins one number of the spec (discv5-wire / discv5-theory) or of go-ethereum's implementation
// (p2p/discover, p2p/enode) through behaviour with the default limits: the expected number is written here as a
// literal, so changing the constant makes the test fail.

const nodes: Discv5Node[] = [];
afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.stop()));
});

const world = (latencyMs?: number) => memoryWorld(nodes, latencyMs);

function idOf(privateKey: Uint8Array): Uint8Array {
  return keccak256(getPublicKey(privateKey, 'raw'));
}

/** A private key whose node id lies at log distance `d` from `id` (d >= 250: a few tries at most). */
function keyAtDistance(id: Uint8Array, d: number): Uint8Array {
  for (;;) {
    const key = generatePrivateKey();
    if (logDistance(idOf(key), id) === d) return key;
  }
}

/** A live-looking record of a node nobody runs, at log distance `d` from `id`. */
function ghostAt(id: Uint8Array, d: number, i: number): Enr {
  return Enr.create({ privateKey: keyAtDistance(id, d), ip: ipOf(200 + i), udp: 9 });
}

function ghost(i: number): Enr {
  return Enr.create({ privateKey: generatePrivateKey(), ip: ipOf(200 + i), udp: 9 });
}

function received(node: Discv5Node, type: number): RequestMessage[] {
  const out: RequestMessage[] = [];
  node.on('request', (m) => {
    if (m.type === type) out.push(m);
  });
  return out;
}

/**
 * Makes `node` answer every FINDNODE as if `distances` had been asked: the 'request' event comes before the
 * answer, and rewriting the decoded message turns an honest node into one that relays records the asker did
 * not ask for.
 */
function answerAlways(node: Discv5Node, distances: number[]): void {
  node.on('request', (m) => {
    if (m.type === MessageType.FindNode) m.distances.splice(0, m.distances.length, ...distances);
  });
}

/** A hub whose table holds two live nodes at each of 256, 255 and 254 (they pinged it). */
async function hubWithNodesAt(make: ReturnType<typeof world>['make'], clock: ManualClock) {
  const hub = await make();
  const hubId = hexToBytes(hub.nodeId);
  const at = new Map<number, string[]>();
  for (const d of [256, 255, 254]) {
    for (let i = 0; i < 2; i++) {
      const n = await make({}, { privateKey: keyAtDistance(hubId, d) });
      await drive(clock, n.ping(hub.localEnr));
      at.set(d, [...(at.get(d) ?? []), n.nodeId]);
    }
  }
  for (const [d, ids] of at)
    expect(hub.table.bucket(d).map((e) => e.nodeIdHex)).toEqual(expect.arrayContaining(ids));
  return { hub, at };
}

describe('NODES records must lie at an asked distance (discv5-wire FINDNODE; go-ethereum verifyResponseNode)', () => {
  it('findNode keeps the records at the asked distance and drops the others (not in the table, counted)', async () => {
    const { clock, make } = world();
    const { hub, at } = await hubWithNodesAt(make, clock);
    answerAlways(hub, [256, 255, 254]);
    const asker = await make();
    const found = await drive(clock, asker.findNode(hub.localEnr, [255]));
    // The two records at 255 are kept (the asker itself is never relayed to itself).
    const kept = at.get(255)!.filter((id) => id !== asker.nodeId);
    expect(found.map((e) => bytesToHex(e.nodeId)).sort()).toEqual([...kept].sort());
    for (const id of kept) expect(asker.table.get(id)).toBeDefined();
    // The four at 256 and 254 were not asked for: dropped, not learned, counted with their reason.
    const wrong = [...at.get(256)!, ...at.get(254)!].filter((id) => id !== asker.nodeId);
    for (const id of wrong) expect(asker.table.get(id)).toBeUndefined();
    expect(asker.counters.recordsRejected).toBe(wrong.length);
    expect(asker.counters.recordsRejectedBy['wrong-distance']).toBe(wrong.length);
  });

  it('a lookup through a node that answers other distances returns and learns none of those records', async () => {
    const { clock, make } = world();
    const { hub, at } = await hubWithNodesAt(make, clock);
    answerAlways(hub, [256, 255, 254]);
    const asker = await make();
    asker.addEnr(hub.localEnr);
    // A target at log distance 200 from the hub: it is asked 200, 201, 199 and then 16 distances around them.
    const target = hexToBytes(hub.nodeId);
    target[7]! ^= 0x80;
    expect(logDistance(target, hexToBytes(hub.nodeId))).toBe(200);
    const result = await drive(clock, asker.lookup(target));
    const planted = new Set([...at.values()].flat());
    expect(result.filter((e) => planted.has(bytesToHex(e.nodeId)))).toEqual([]);
    expect(asker.table.entries().map((e) => e.nodeIdHex)).toEqual([hub.nodeId]);
    expect(asker.counters.recordsRejectedBy['wrong-distance']).toBeGreaterThanOrEqual(planted.size);
  });
});

describe('NODES messages per request: 5 (go-ethereum totalNodesResponseLimit)', () => {
  /** A hub relaying `count` padded records (four fit in one NODES packet) and an asker with default limits. */
  async function askPadded(count: number) {
    const { clock, make } = world();
    // The hub's own answer limits are raised so that it sends count / 4 messages; the asker's are the defaults.
    const hub = await make({ findNodeResultLimit: 64, bucketSize: 64 });
    for (let i = 0; i < count; i++) {
      const o = await make({}, { entries: { pad: new Uint8Array(150) } });
      await drive(clock, o.ping(hub.localEnr));
    }
    const asker = await make();
    const found = await drive(clock, asker.findNode(hub.localEnr, hub.table.nonEmptyDistances()));
    await run(clock, 50);
    return { asker, found };
  }

  it('5 messages (total = 5) are all taken in', async () => {
    const { asker, found } = await askPadded(20);
    expect(found.length).toBe(20);
    expect(asker.counters.responsesReceived).toBe(5);
    expect(asker.counters.dropped['unsolicited-response']).toBeUndefined();
  });

  it('of 6 messages (total = 6) only the first 5 are taken in, the 6th is dropped', async () => {
    const { asker, found } = await askPadded(24);
    expect(found.length).toBe(20);
    expect(asker.counters.responsesReceived).toBe(5);
    expect(asker.counters.dropped['unsolicited-response']).toBe(1);
  });
});

describe('records per FINDNODE answer: 16 (discv5-wire; go-ethereum findnodeResultLimit)', () => {
  it('a node knowing 17 nodes at the asked distances answers with 16', async () => {
    const { clock, make } = world();
    const hub = await make();
    for (let i = 0; i < 17; i++) await drive(clock, (await make()).ping(hub.localEnr));
    const distances = hub.table.nonEmptyDistances();
    expect(distances.reduce((n, d) => n + hub.table.bucket(d).length, 0)).toBe(17);
    const asker = await make();
    const found = await drive(clock, asker.findNode(hub.localEnr, distances));
    expect(found.length).toBe(16);
  });
});

describe('request timeout: 700 ms (go-ethereum respTimeoutV5)', () => {
  it('no retry at 699 ms, the retry at 700 ms, the failure at 1,400 ms', async () => {
    const { clock, make } = world();
    const a = await make();
    let error: unknown;
    a.ping(ghost(0)).catch((err) => {
      error = err;
    });
    expect(a.counters.packetsOut).toBe(1);
    clock.advance(699);
    expect(a.counters.packetsOut).toBe(1);
    clock.advance(1);
    expect(a.counters.packetsOut).toBe(2);
    expect(a.counters.requestRetries).toBe(1);
    clock.advance(699);
    await run(clock, 0);
    expect(error).toBeUndefined();
    clock.advance(1);
    await run(clock, 0);
    expect(error).toMatchObject({ code: Discv5ErrorCode.Timeout });
  });
});

describe('handshake timeout: 1,000 ms (discv5-wire; go-ethereum v5wire handshakeTimeout)', () => {
  it('a WHOAREYOU challenge is still pending at 999 ms and expired at 1,000 ms', async () => {
    const { clock, network, make } = world(0);
    const b = await make();
    const sender = network.transport({ ip: ipOf(90), port: 1 });
    const srcId = randomBytes(32);
    const poke = () => {
      sender.send(
        encodeRandomPacket({
          srcId,
          destId: b.localEnr.nodeId,
          nonce: randomBytes(12),
          maskingIv: randomBytes(16),
          random: randomBytes(20),
        }),
        b.localEndpoint!,
      );
      clock.runDue();
    };
    poke();
    expect(b.counters.whoareyouSent).toBe(1);
    clock.advance(999);
    poke(); // a retry while the challenge is pending gets the same WHOAREYOU again
    expect(b.counters.whoareyouResent).toBe(1);
    expect(b.counters.whoareyouSent).toBe(1);
    clock.advance(1);
    poke(); // the challenge has expired: a fresh one
    expect(b.counters.whoareyouSent).toBe(2);
    await sender.close();
  });
});

describe('session cache: 1,024 sessions (go-ethereum v5wire NewSessionCache(1024))', () => {
  it('1,024 sessions fit; the 1,025th evicts the least recently used', () => {
    const cache = new SessionCache(DEFAULT_DISCV5_LIMITS.sessionCacheLimit);
    const key = new Uint8Array(16);
    const add = (i: number) => {
      const nodeIdHex = i.toString(16).padStart(64, '0');
      const endpoint = { ip: '10.0.0.1', port: i };
      const session = new Session({
        nodeId: hexToBytes(nodeIdHex),
        nodeIdHex,
        endpoint,
        publicKey: new Uint8Array(33),
        writeKey: key,
        readKey: key,
        initiator: false,
        record: undefined,
      });
      return cache.set(SessionCache.key(nodeIdHex, endpoint), session);
    };
    for (let i = 0; i < 1024; i++) expect(add(i)).toBeUndefined();
    expect(cache.size).toBe(1024);
    expect(add(1024)?.endpoint.port).toBe(0);
    expect(cache.size).toBe(1024);
  });
});

describe('bucket size k: 16 (discv5-theory; go-ethereum bucketSize)', () => {
  it('16 nodes at one distance fill the bucket; the 17th waits in the replacement list', async () => {
    const { make } = world();
    const a = await make();
    const id = hexToBytes(a.nodeId);
    for (let i = 0; i < 16; i++) a.addEnr(ghostAt(id, 256, i));
    expect(a.table.bucket(256).length).toBe(16);
    expect(a.table.replacements(256).length).toBe(0);
    a.addEnr(ghostAt(id, 256, 16));
    expect(a.table.bucket(256).length).toBe(16);
    expect(a.table.replacements(256).length).toBe(1);
  });
});

describe('replacement list: 10 per bucket (go-ethereum maxReplacements)', () => {
  it('a full bucket keeps 10 replacements; the 11th pushes out the oldest', async () => {
    const { make } = world();
    const a = await make();
    const id = hexToBytes(a.nodeId);
    for (let i = 0; i < 16; i++) a.addEnr(ghostAt(id, 256, i));
    const spare = Array.from({ length: 11 }, (_, i) => ghostAt(id, 256, 16 + i));
    for (const enr of spare.slice(0, 10)) a.addEnr(enr);
    expect(a.table.replacements(256).length).toBe(10);
    a.addEnr(spare[10]!);
    const replacements = a.table.replacements(256).map((e) => e.nodeIdHex);
    expect(replacements.length).toBe(10);
    expect(replacements).not.toContain(bytesToHex(spare[0]!.nodeId));
  });
});

describe('lookup parallelism α: 3 (discv5-theory; go-ethereum alpha)', () => {
  it('a lookup has 3 FINDNODE requests in flight, not 4', async () => {
    const { make } = world();
    const a = await make();
    for (let i = 0; i < 6; i++) a.addEnr(ghost(i));
    const lookup = a.lookup(randomBytes(32));
    expect(a.counters.packetsOut).toBe(3);
    await a.stop();
    await lookup;
  });
});

describe('distances per lookup FINDNODE: 3 (go-ethereum lookupRequestLimit)', () => {
  it('the first FINDNODE of a lookup asks d, d-1, d-2 at the top of the range', async () => {
    const { clock, make } = world();
    const b = await make();
    const seen = received(b, MessageType.FindNode);
    const a = await make();
    a.addEnr(b.localEnr);
    const target = hexToBytes(b.nodeId);
    target[0]! ^= 0x80; // log distance 256 from b
    await drive(clock, a.lookup(target));
    expect(seen[0]?.type === MessageType.FindNode && seen[0].distances).toEqual([256, 255, 254]);
  });
});

describe('packet size: 63 to 1,280 bytes (discv5-wire "UDP Communication")', () => {
  it('1,280 bytes pass the size check, 1,281 are dropped; 63 pass, 62 are dropped', async () => {
    const { clock, network, make } = world(0);
    const a = await make();
    const sender = network.transport({ ip: ipOf(91), port: 1 });
    const send = (size: number) => {
      sender.send(randomBytes(size), a.localEndpoint!);
      clock.runDue();
    };
    send(1280);
    send(63);
    expect(a.counters.packetsIn).toBe(2);
    expect(a.counters.dropped[Discv5ErrorCode.PacketTooLarge]).toBeUndefined();
    expect(a.counters.dropped[Discv5ErrorCode.PacketTooSmall]).toBeUndefined();
    send(1281);
    send(62);
    expect(a.counters.dropped[Discv5ErrorCode.PacketTooLarge]).toBe(1);
    expect(a.counters.dropped[Discv5ErrorCode.PacketTooSmall]).toBe(1);
    await sender.close();
  });
});

describe('endpoint votes: 10 within 5 minutes (go-ethereum iptrackMinStatements, iptrackWindow)', () => {
  const endpoint = { ip: '1.2.3.4', port: 30303 };
  function votes(now: () => number) {
    return new EndpointVotes({
      required: DEFAULT_DISCV5_LIMITS.endpointVotesRequired,
      ttlMs: DEFAULT_DISCV5_LIMITS.endpointVoteTtlMs,
      maxVoters: DEFAULT_DISCV5_LIMITS.maxEndpointVoters,
      now,
    });
  }

  it('9 voters do not move the endpoint, the 10th does', () => {
    const v = votes(() => 0);
    for (let i = 0; i < 9; i++) expect(v.vote(`voter${i}`, endpoint)).toBeUndefined();
    expect(v.vote('voter9', endpoint)).toEqual(endpoint);
  });

  it('a vote counts for 300,000 ms and no longer', () => {
    let now = 0;
    const v = votes(() => now);
    for (let i = 0; i < 9; i++) v.vote(`voter${i}`, endpoint);
    now = 300_000;
    expect(v.vote('late', endpoint)).toEqual(endpoint);
    const w = votes(() => now);
    now = 0;
    for (let i = 0; i < 9; i++) w.vote(`voter${i}`, endpoint);
    now = 300_001;
    expect(w.vote('late', endpoint)).toBeUndefined();
  });
});
