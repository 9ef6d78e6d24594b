import { bytesToHex, utf8ToBytes } from '@status-ts/core';
import { generatePrivateKey, randomBytes } from '@status-ts/crypto';
import type { Capability, CapabilityStream, Server } from '@status-ts/devp2p';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Envelope,
  encodeEnvelopeList,
  encodeStatusOptions,
  publicChat,
  type ReceivedMessage,
  topicFromName,
  WAKU_PROTOCOL,
  WakuCode,
} from '../src/index.js';
import { connect, type NetNode, startNetNode, startRawServer, stopAll, waitFor } from './helpers/network.js';

// Every node runs on 127.0.0.1; per-IP limits would lump them together, so the tests spare that address.
const LOCAL = { rateLimits: { whitelistedIps: ['127.0.0.1', '::ffff:127.0.0.1'] } };

describe('Waku over real RLPx: a 6-node line with a Waku/Whisper bridge, a light node and topic interest', () => {
  const net: Record<string, NetNode> = {};
  const chat = publicChat('status-ts-e2e');
  const other = publicChat('status-ts-e2e-other');

  beforeAll(async () => {
    // A(waku) - B(waku+shh) - C(shh) - D(shh+waku) - E(waku) - F(waku);  E - L(light) - H;  F - T(topic interest)
    const spec: Array<[string, Parameters<typeof startNetNode>[1]]> = [
      ['A', { ...LOCAL }],
      ['B', { ...LOCAL, protocols: ['waku', 'shh'] }],
      ['C', { ...LOCAL, protocols: ['shh'] }],
      ['D', { ...LOCAL, protocols: ['shh', 'waku'] }],
      ['E', { ...LOCAL }],
      ['F', { ...LOCAL }],
      ['L', { ...LOCAL, lightNode: true, interest: 'full' }],
      ['H', { ...LOCAL }],
      ['T', { ...LOCAL, interest: 'topics' }],
    ];
    for (const [name, options] of spec) net[name] = await startNetNode(name, options);
    const links: [string, string][] = [
      ['A', 'B'],
      ['B', 'C'],
      ['C', 'D'],
      ['D', 'E'],
      ['E', 'F'],
      ['E', 'L'],
      ['L', 'H'],
      ['F', 'T'],
    ];
    for (const [x, y] of links) await connect(net[x]!, net[y]!);
  });

  afterAll(() => stopAll(Object.values(net)));

  it('negotiates waku/1 or shh/6 per link', () => {
    const protocol = (x: string, y: string) => net[x]!.node.getPeer(net[y]!.server.id)!.protocol;
    expect([
      protocol('A', 'B'),
      protocol('B', 'C'),
      protocol('C', 'D'),
      protocol('D', 'E'),
      protocol('E', 'F'),
    ]).toEqual(['waku', 'shh', 'shh', 'waku', 'waku']);
    expect(net.E!.node.getPeer(net.L!.server.id)!.lightNode).toBe(true);
  });

  it('delivers an envelope posted at A to a filter at F exactly once; the light node receives but does not relay', async () => {
    const atF: ReceivedMessage[] = [];
    const atL: ReceivedMessage[] = [];
    net.F!.node.subscribe({ ...chat, topics: [chat.topic] }).on('message', (m) => atF.push(m));
    net.L!.node.subscribe({ ...chat, topics: [chat.topic] }).on('message', (m) => atL.push(m));
    const signer = generatePrivateKey();
    const { hashHex } = await net.A!.node.post({
      topic: chat.topic,
      symKey: chat.symKey,
      payload: utf8ToBytes('across the bridge'),
      signingKey: signer,
    });
    await waitFor(() => atF.length === 1 && atL.length === 1, 15_000, 'delivery at F and L');
    // Let a few more relay rounds pass: no second copy anywhere, nothing past the light node.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(atF.map((m) => m.hashHex)).toEqual([hashHex]);
    expect(new TextDecoder().decode(atF[0]!.payload)).toBe('across the bridge');
    expect(atL).toHaveLength(1);
    expect(net.H!.node.poolSize).toBe(0);
    expect(net.H!.node.counters.envelopesReceived).toBe(0);
    for (const name of 'ABCDEF') expect(net[name]!.node.hasEnvelope(atF[0]!.envelope)).toBe(true);
  });

  it('sends a topic-interest node only the topics it asked for', async () => {
    const t = net.T!.node;
    const atT: string[] = [];
    t.subscribe({ ...chat, topics: [chat.topic] }).on('message', (m) => atT.push(bytesToHex(m.topic)));
    await waitFor(
      () => net.F!.node.getPeer(net.T!.server.id)!.interest.kind === 'topics',
      5000,
      'T interest at F',
    );
    const before = t.counters.envelopesReceived;
    await net.A!.node.post({ topic: other.topic, symKey: other.symKey, payload: utf8ToBytes('not for T') });
    await net.A!.node.post({ topic: chat.topic, symKey: chat.symKey, payload: utf8ToBytes('for T') });
    await waitFor(() => atT.length >= 2, 15_000, 'delivery at T');
    await waitFor(
      () => net.F!.node.envelopes().some((e) => bytesToHex(e.topic) === bytesToHex(other.topic)),
      5000,
      'other topic at F',
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // The first chat message (already pooled at F) and the new one; the other topic never reaches T.
    expect(new Set(atT)).toEqual(new Set([bytesToHex(chat.topic)]));
    expect(t.envelopes().every((e) => bytesToHex(e.topic) === bytesToHex(chat.topic))).toBe(true);
    expect(t.counters.dropped.interestMismatch).toBe(0);
    expect(t.counters.envelopesReceived - before).toBeGreaterThanOrEqual(1);
    expect(net.F!.node.counters.dropped.peerInterestMismatch).toBeGreaterThan(0);
  });
});

/** A peer that completes the waku/1 handshake and then sends `count` one-envelope Messages packets. */
class Flooder implements Capability {
  readonly name = WAKU_PROTOCOL.name;
  readonly version = WAKU_PROTOCOL.version;
  readonly length = WAKU_PROTOCOL.length;
  sent = 0;
  stopped = false;

  constructor(readonly count: number) {}

  attach(stream: CapabilityStream): void {
    void (async () => {
      const inbox = stream.messages()[Symbol.asyncIterator]();
      await stream.send(WakuCode.Status, encodeStatusOptions({ powRequirement: 0 }));
      await inbox.next(); // the victim's Status
      const topic = topicFromName('flood');
      const expiry = Math.floor(Date.now() / 1000) + 20;
      try {
        for (let i = 0; i < this.count && !stream.closed; i++) {
          const e = Envelope.create({ expiry, ttl: 20, topic, data: randomBytes(32) });
          await stream.send(WakuCode.Messages, encodeEnvelopeList([e]));
          this.sent++;
        }
      } catch {
        // The victim hung up.
      }
      this.stopped = true;
    })();
  }
}

describe('Waku over real RLPx: flood protection', () => {
  let victim: NetNode;
  let honest: NetNode;
  let flooderServer: Server;
  const flooder = new Flooder(10_000);

  beforeAll(async () => {
    victim = await startNetNode('V', { rateLimits: { packetsPerPeer: 20, packetsPerIp: 0, tolerance: 10 } });
    honest = await startNetNode('G', LOCAL);
    flooderServer = await startRawServer([flooder]);
    await connect(honest, victim);
  });

  afterAll(async () => {
    await stopAll([victim, honest]);
    await flooderServer.stop();
  });

  it('rate-limits and drops a node that floods 10,000 envelopes while honest traffic still arrives', async () => {
    const chat = publicChat('honest');
    const received: string[] = [];
    victim.node.subscribe({ ...chat, topics: [chat.topic] }).on('message', (m) => received.push(m.hashHex));
    const removed = new Promise<void>((resolve) =>
      victim.node.on('peer:removed', (p) => {
        if (bytesToHex(p.id) === bytesToHex(flooderServer.id)) resolve();
      }),
    );
    await flooderServer.dial(victim.server.enode);
    const honestPosts = (async () => {
      const hashes: string[] = [];
      for (let i = 0; i < 3; i++) {
        hashes.push(
          (
            await honest.node.post({
              topic: chat.topic,
              symKey: chat.symKey,
              payload: utf8ToBytes(`ok ${i}`),
            })
          ).hashHex,
        );
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      return hashes;
    })();
    await removed;
    const hashes = await honestPosts;
    await waitFor(() => received.length === 3, 10_000, 'honest messages at the victim');
    expect(new Set(received)).toEqual(new Set(hashes));
    const c = victim.node.counters;
    expect(c.peers.rateLimitDisconnect).toBe(1);
    expect(c.dropped.rateLimited).toBeGreaterThanOrEqual(10);
    expect(flooder.sent).toBeLessThan(10_000);
    // Almost nothing of the flood was even decoded.
    expect(c.envelopesReceived).toBeLessThan(200);
    expect(victim.node.getPeer(honest.server.id)).toBeDefined();
  });
});
