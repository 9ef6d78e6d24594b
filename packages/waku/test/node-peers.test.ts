import { bytesToHex } from '@status-ts/core';
import { randomBytes } from '@status-ts/crypto';
import { createMemoryCapabilityPair, DisconnectReason } from '@status-ts/devp2p';
import { rlpEncode } from '@status-ts/enr';
import { afterEach, describe, expect, it } from 'vitest';
import {
  bloomOfTopics,
  decodeEnvelopeList,
  decodeStatusOptions,
  encodeStatusOptions,
  float64ToBits,
  linkInMemory,
  WakuCode,
} from '../src/index.js';
import { WAKU_PROTOCOL } from '../src/wire/codes.js';
import { advance, KEY, makeEnvelope, Nodes, RawPeer, settle, TOPIC_A, TOPIC_B } from './helpers/nodes.js';

const nodes = new Nodes();
afterEach(() => nodes.stop());

function relayed(raw: RawPeer): string[] {
  return raw
    .of(WakuCode.Messages)
    .flatMap((p) => decodeEnvelopeList(p.payload).map((e) => bytesToHex(e.topic)));
}

describe('WakuNode handshake (WAKU-02..04)', () => {
  it('sends its Status first with every option, and learns the peer’s', async () => {
    const a = await nodes.node({
      minPow: 0.25,
      confirmations: true,
      rateLimits: { packetsPerPeer: 7, bytesPerIp: 99 },
    });
    const raw = new RawPeer(a);
    await settle();
    const [status] = raw.received;
    expect(status!.code).toBe(WakuCode.Status);
    expect(decodeStatusOptions(status!.payload)).toEqual({
      powRequirement: 0.25,
      bloomFilter: new Uint8Array(64).fill(0xff),
      lightNode: false,
      confirmationsEnabled: true,
      packetRateLimits: { ip: 10, peerId: 7, topic: 0 },
      bytesRateLimits: { ip: 99, peerId: 1024 * 1024, topic: 0 },
    });
    await raw.status({
      powRequirement: 0.5,
      lightNode: true,
      topicInterest: [TOPIC_A],
      bloomFilter: new Uint8Array(64),
    });
    const peer = a.peers[0]!;
    expect(peer.powRequirement).toBe(0.5);
    expect(peer.lightNode).toBe(true);
    // Topic interest wins over a bloom in the same options (WAKU-06).
    expect(peer.interest).toEqual({ kind: 'topics', topics: new Set([bytesToHex(TOPIC_A)]) });
  });

  it('fills WAKU-04 defaults for omitted options', async () => {
    const a = await nodes.node();
    const raw = new RawPeer(a);
    await raw.status({});
    const peer = a.peers[0]!;
    expect([peer.powRequirement, peer.lightNode, peer.confirmationsEnabled, peer.interest.kind]).toEqual([
      0.001,
      false,
      false,
      'full',
    ]);
    expect(peer.packetRateLimits).toEqual({ ip: 0, peerId: 0, topic: 0 });
  });

  it('disconnects a peer that sends anything before its Status', async () => {
    const a = await nodes.node();
    const raw = new RawPeer(a);
    await raw.send(WakuCode.Messages, rlpEncode([]));
    await settle();
    expect(raw.closeReason).toBe(DisconnectReason.ProtocolError);
    expect(a.counters.dropped.beforeStatus).toBe(1);
  });

  it('disconnects a peer whose Status does not arrive within statusTimeoutMs', async () => {
    const a = await nodes.node({ statusTimeoutMs: 3000 });
    const raw = new RawPeer(a);
    await advance(nodes.clock, 2900);
    expect(raw.closed).toBe(false);
    await advance(nodes.clock, 200);
    expect(raw.closeReason).toBe(DisconnectReason.ReadTimeout);
    expect(a.counters.peers.handshakeTimeout).toBe(1);
  });

  it('refuses an invalid Status (NaN PoW, 10-byte bloom, too many topics)', async () => {
    const a = await nodes.node({ maxTopicInterest: 2 });
    const bad = [
      rlpEncode([[0, float64ToBits(Number.NaN)]]),
      rlpEncode([[0, float64ToBits(-1)]]),
      rlpEncode([[1, new Uint8Array(10)]]),
      encodeStatusOptions({ topicInterest: [TOPIC_A, TOPIC_B, Uint8Array.of(9, 9, 9, 9)] }),
      Uint8Array.of(0xc3, 0x01),
    ];
    for (const payload of bad) {
      const raw = new RawPeer(a);
      await raw.send(WakuCode.Status, payload);
      await settle();
      expect(raw.closeReason).toBe(DisconnectReason.SubprotocolError);
    }
    expect(a.counters.peers.badStatus).toBe(bad.length);
  });

  it('ignores later Status packets and unknown codes', async () => {
    const a = await nodes.node();
    const raw = new RawPeer(a);
    await raw.status({ powRequirement: 0 });
    await raw.send(WakuCode.Status, encodeStatusOptions({ powRequirement: 99 }));
    await raw.send(50, Uint8Array.of(1, 2, 3));
    await settle();
    expect(a.peers[0]!.powRequirement).toBe(0);
    expect(a.counters.dropped.repeatedStatus).toBe(1);
    expect(a.counters.dropped.unknownCode).toBe(1);
    expect(raw.closed).toBe(false);
  });
});

describe('WakuNode interest (WAKU-06) and PoW requirement of peers', () => {
  it('sends a topic-interest peer only its topics, and older envelopes once its interest grows', async () => {
    const a = await nodes.node();
    const raw = new RawPeer(a);
    await raw.status({ topicInterest: [TOPIC_A] });
    a.postEnvelope(makeEnvelope(nodes.clock, { topic: TOPIC_A }));
    a.postEnvelope(makeEnvelope(nodes.clock, { topic: TOPIC_B }));
    await advance(nodes.clock, 600);
    expect(relayed(raw)).toEqual([bytesToHex(TOPIC_A)]);
    expect(a.counters.dropped.peerInterestMismatch).toBeGreaterThan(0);
    // A status update with only a bloom replaces the topic interest (WAKU-06).
    await raw.send(WakuCode.StatusUpdate, encodeStatusOptions({ bloomFilter: bloomOfTopics([TOPIC_B]) }));
    await advance(nodes.clock, 600);
    expect(relayed(raw)).toEqual([bytesToHex(TOPIC_A), bytesToHex(TOPIC_B)]);
    expect(a.peers[0]!.interest.kind).toBe('bloom');
  });

  it('treats an empty topic interest or an all-zero bloom as "want nothing", a zero-length bloom as full', async () => {
    const a = await nodes.node();
    const raw = new RawPeer(a);
    await raw.status({ topicInterest: [] });
    a.postEnvelope(makeEnvelope(nodes.clock));
    await advance(nodes.clock, 600);
    expect(relayed(raw)).toEqual([]);
    await raw.send(WakuCode.StatusUpdate, encodeStatusOptions({ bloomFilter: new Uint8Array(64) }));
    await advance(nodes.clock, 600);
    expect(relayed(raw)).toEqual([]);
    await raw.send(WakuCode.StatusUpdate, encodeStatusOptions({}));
    await advance(nodes.clock, 600);
    expect(relayed(raw)).toEqual([]);
    await raw.send(WakuCode.StatusUpdate, encodeStatusOptions({ bloomFilter: new Uint8Array(0) }));
    await advance(nodes.clock, 600);
    expect(relayed(raw)).toEqual([bytesToHex(TOPIC_A)]);
  });

  it('ignores a malformed status update without dropping the peer', async () => {
    const a = await nodes.node();
    const raw = new RawPeer(a);
    await raw.status({});
    await raw.send(WakuCode.StatusUpdate, rlpEncode([[1, new Uint8Array(3)]]));
    await settle();
    expect(a.counters.dropped.badPacket).toBe(1);
    expect(raw.closed).toBe(false);
  });

  it('sends a peer only envelopes meeting its PoW requirement', async () => {
    const a = await nodes.node();
    const raw = new RawPeer(a);
    await raw.status({ powRequirement: 1e9 });
    a.postEnvelope(makeEnvelope(nodes.clock));
    await advance(nodes.clock, 600);
    expect(relayed(raw)).toEqual([]);
    expect(a.counters.dropped.peerLowPow).toBe(1);
    await raw.send(WakuCode.StatusUpdate, encodeStatusOptions({ powRequirement: 0 }));
    await advance(nodes.clock, 600);
    expect(relayed(raw)).toHaveLength(1);
  });

  it('a filter installed during the handshake reaches the peer (interest changed after our Status left)', async () => {
    const a = await nodes.node({ interest: 'topics' });
    const b = await nodes.node();
    const [endA, endB] = createMemoryCapabilityPair({
      ...WAKU_PROTOCOL,
      idA: randomBytes(64),
      idB: randomBytes(64),
    });
    a.attach(endA, 'waku'); // a's Status (no interest yet) is on its way; b has not answered
    await settle();
    a.subscribe({ topics: [TOPIC_A], symKey: KEY }); // a is still in its handshake: no update can go yet
    b.attach(endB, 'waku');
    await settle();
    expect(b.peers[0]!.interest).toEqual({ kind: 'topics', topics: new Set([bytesToHex(TOPIC_A)]) });
  });

  it('tells peers when its interest changes (topics mode follows its filters)', async () => {
    const a = await nodes.node({ interest: 'topics' });
    const b = await nodes.node();
    await linkInMemory(a, b);
    expect(b.peers[0]!.interest).toEqual({ kind: 'topics', topics: new Set() });
    const f = a.subscribe({ topics: [TOPIC_A], symKey: KEY });
    await settle();
    expect(b.peers[0]!.interest).toEqual({ kind: 'topics', topics: new Set([bytesToHex(TOPIC_A)]) });
    a.setInterestMode('bloom');
    await settle();
    expect(b.peers[0]!.interest).toEqual({ kind: 'bloom', bloom: bloomOfTopics([TOPIC_A]) });
    a.unsubscribe(f);
    await settle();
    expect(b.peers[0]!.interest).toEqual({ kind: 'bloom', bloom: new Uint8Array(64) });
    a.setInterestMode('full');
    await settle();
    expect(b.peers[0]!.interest.kind).toBe('full');
  });
});

describe('WakuNode light mode (WAKU-15)', () => {
  it('receives but relays nothing but its own envelopes', async () => {
    const [x, light, y] = [
      await nodes.node(),
      await nodes.node({ lightNode: true, interest: 'full' }),
      await nodes.node(),
    ];
    await linkInMemory(x, light);
    await linkInMemory(light, y);
    const filter = light.subscribe({ topics: [TOPIC_A], symKey: KEY });
    x.postEnvelope(makeEnvelope(nodes.clock, { symKey: KEY }));
    await advance(nodes.clock, 1200);
    expect(filter.pending).toBe(1);
    expect(y.poolSize).toBe(0);
    await light.post({ topic: TOPIC_A, symKey: KEY, payload: Uint8Array.of(1) });
    await advance(nodes.clock, 600);
    expect(y.poolSize).toBe(1);
    expect(x.poolSize).toBe(2);
    expect(x.peers[0]!.lightNode).toBe(true);
  });

  it('two light nodes refuse each other unless the restriction is off', async () => {
    const a = await nodes.node({ lightNode: true });
    const b = await nodes.node({ lightNode: true });
    await expect(linkInMemory(a, b)).rejects.toMatchObject({
      code: 'ERR_WAKU_HANDSHAKE',
      details: { reason: DisconnectReason.UselessPeer },
    });
    expect(a.counters.peers.lightRefused + b.counters.peers.lightRefused).toBeGreaterThan(0);
    const c = await nodes.node({ lightNode: true, restrictLightConnections: false });
    const d = await nodes.node({ lightNode: true, restrictLightConnections: false });
    await linkInMemory(c, d);
    expect(c.peers).toHaveLength(1);
  });
});

describe('WakuNode rate limits (WAKU-17)', () => {
  it('drops packets over the per-peer limit and disconnects after the tolerance', async () => {
    const a = await nodes.node({ rateLimits: { packetsPerPeer: 5, tolerance: 3 } });
    const raw = new RawPeer(a);
    await raw.status({});
    for (let i = 0; i < 8; i++) await raw.send(WakuCode.Messages, Uint8Array.of(0xc0));
    await settle();
    expect(a.counters.dropped.rateLimited).toBe(3);
    expect(a.counters.peers.rateLimitDisconnect).toBe(1);
    expect(raw.closeReason).toBe(DisconnectReason.SubprotocolError);
  });

  it('over the limit, drops envelope packets but still reads control packets (a topic-interest update)', async () => {
    const a = await nodes.node({ rateLimits: { packetsPerPeer: 2, tolerance: 100 } });
    const raw = new RawPeer(a);
    await raw.status({ topicInterest: [TOPIC_A] });
    const empty = Uint8Array.of(0xc0);
    for (let i = 0; i < 3; i++) await raw.send(WakuCode.Messages, empty); // the third is over 2/s
    await raw.send(WakuCode.StatusUpdate, encodeStatusOptions({ topicInterest: [TOPIC_B] }));
    await settle();
    expect(a.counters.dropped.rateLimited).toBe(1);
    const interest = a.peers[0]!.interest;
    expect(interest.kind).toBe('topics');
    expect(interest.kind === 'topics' && [...interest.topics]).toEqual([bytesToHex(TOPIC_B)]);
  });

  it("refills over time, limits per IP across peers, spares whitelisted peers and trusted peers' history only", async () => {
    const a = await nodes.node({
      rateLimits: { packetsPerPeer: 2, packetsPerIp: 3, whitelistedIps: ['10.0.0.9'], tolerance: 100 },
    });
    const empty = Uint8Array.of(0xc0);
    const p1 = new RawPeer(a, 'waku', { remoteAddress: '10.0.0.1' });
    const p2 = new RawPeer(a, 'waku', { remoteAddress: '10.0.0.1' });
    await p1.status({});
    await p2.status({});
    await p1.send(WakuCode.Messages, empty);
    await p1.send(WakuCode.Messages, empty);
    await p2.send(WakuCode.Messages, empty);
    await p2.send(WakuCode.Messages, empty); // fourth packet from the IP: over 3/s
    await settle();
    expect(a.counters.dropped.rateLimited).toBe(1);
    await advance(nodes.clock, 1000);
    await p1.send(WakuCode.Messages, empty);
    await settle();
    expect(a.counters.dropped.rateLimited).toBe(1);
    const white = new RawPeer(a, 'waku', { remoteAddress: '10.0.0.9' });
    await white.status({});
    for (let i = 0; i < 2; i++) await white.send(WakuCode.Messages, empty);
    const trusted = new RawPeer(a);
    a.markTrusted(trusted.id);
    await trusted.status({});
    // A trusted peer's relay traffic is limited like anyone's (2 of 10 pass); its P2P history is not.
    for (let i = 0; i < 10; i++) await trusted.send(WakuCode.Messages, empty);
    await settle();
    expect(a.counters.dropped.rateLimited).toBe(9);
    for (let i = 0; i < 10; i++) await trusted.send(WakuCode.P2PMessage, empty);
    await settle();
    expect(a.counters.dropped.rateLimited).toBe(9);
    expect(trusted.closed).toBe(false);
  });

  it('honours the rate limits a peer advertises when relaying to it', async () => {
    const a = await nodes.node();
    const raw = new RawPeer(a);
    await raw.status({ packetRateLimits: { ip: 0, peerId: 1, topic: 0 } });
    // The Status and one packet fit in the first second's budget; more envelopes wait for refills.
    for (let i = 0; i < 4; i++) {
      a.postEnvelope(makeEnvelope(nodes.clock));
      await advance(nodes.clock, 300);
    }
    expect(raw.of(WakuCode.Messages).length).toBeLessThanOrEqual(2);
    await advance(nodes.clock, 3000);
    expect(raw.of(WakuCode.Messages).flatMap((p) => decodeEnvelopeList(p.payload))).toHaveLength(4);
    expect(raw.of(WakuCode.Messages).length).toBeLessThanOrEqual(4);
  });
});
