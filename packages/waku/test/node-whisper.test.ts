import { bytesToHex } from '@status-ts/core';
import { DisconnectReason } from '@status-ts/devp2p';
import { rlpEncode } from '@status-ts/enr';
import { afterEach, describe, expect, it } from 'vitest';
import {
  bloomOfTopics,
  decodeWhisperBloom,
  decodeWhisperPow,
  decodeWhisperStatus,
  encodeWhisperBloom,
  encodeWhisperPow,
  encodeWhisperRateLimits,
  encodeWhisperStatus,
  fullBloom,
  linkInMemory,
  WhisperCode,
} from '../src/index.js';
import { advance, KEY, makeEnvelope, Nodes, RawPeer, settle, TOPIC_A, TOPIC_B } from './helpers/nodes.js';

const nodes = new Nodes();
afterEach(() => nodes.stop());

const whisperStatus = (over = {}) =>
  encodeWhisperStatus({
    powRequirement: 0,
    bloomFilter: fullBloom(),
    lightNode: false,
    confirmationsEnabled: false,
    rateLimits: { ip: 0, peerId: 0, topic: 0 },
    ...over,
  });

describe('Whisper v6 (shh/6) peers', () => {
  it('sends the positional Status and relays between two Whisper nodes', async () => {
    const a = await nodes.node({ protocols: ['shh'], minPow: 0.5 });
    const raw = new RawPeer(a, 'shh');
    await settle();
    expect(decodeWhisperStatus(raw.received[0]!.payload)).toEqual({
      powRequirement: 0.5,
      bloomFilter: fullBloom(),
      lightNode: false,
      confirmationsEnabled: false,
      rateLimits: { ip: 10, peerId: 5, topic: 0 },
    });
    const b = await nodes.node({ protocols: ['shh'] });
    const c = await nodes.node({ protocols: ['shh'] });
    await linkInMemory(b, c, { protocol: 'shh' });
    const filter = c.subscribe({ topics: [TOPIC_A], symKey: KEY });
    await b.post({ topic: TOPIC_A, symKey: KEY, payload: Uint8Array.of(7) });
    await advance(nodes.clock, 600);
    expect((await filter.next()).payload).toEqual(Uint8Array.of(7));
  });

  it('accepts a version-only Status with Whisper defaults and refuses other versions', async () => {
    const a = await nodes.node({ protocols: ['shh'] });
    const ok = new RawPeer(a, 'shh');
    await ok.send(WhisperCode.Status, rlpEncode([6]));
    await settle();
    expect(a.peers[0]!.powRequirement).toBe(0);
    expect(a.peers[0]!.interest.kind).toBe('full');
    const bad = new RawPeer(a, 'shh');
    await bad.send(WhisperCode.Status, rlpEncode([5, 0]));
    await settle();
    expect(bad.closeReason).toBe(DisconnectReason.SubprotocolError);
  });

  it('follows PoW (2), bloom (3) and rate-limit (20) packets and sends its own on change', async () => {
    const a = await nodes.node({ protocols: ['shh'] });
    const raw = new RawPeer(a, 'shh');
    await raw.send(WhisperCode.Status, whisperStatus());
    await settle();
    await raw.send(WhisperCode.PowRequirement, encodeWhisperPow(0.75));
    await raw.send(WhisperCode.BloomFilterExchange, encodeWhisperBloom(bloomOfTopics([TOPIC_B])));
    await raw.send(WhisperCode.RateLimiting, encodeWhisperRateLimits({ ip: 3, peerId: 4, topic: 5 }));
    await settle();
    const peer = a.peers[0]!;
    expect(peer.powRequirement).toBe(0.75);
    expect(peer.interest).toEqual({ kind: 'bloom', bloom: bloomOfTopics([TOPIC_B]) });
    expect(peer.packetRateLimits).toEqual({ ip: 3, peerId: 4, topic: 5 });
    a.setMinPow(0.125);
    a.setInterestMode('topics'); // Whisper has no topic interest: the bloom of the topics goes out
    a.subscribe({ topics: [TOPIC_A], symKey: KEY });
    await settle();
    expect(raw.of(WhisperCode.PowRequirement).map((p) => decodeWhisperPow(p.payload))).toEqual([0.125]);
    const blooms = raw
      .of(WhisperCode.BloomFilterExchange)
      .map((p) => bytesToHex(decodeWhisperBloom(p.payload)));
    expect(blooms.at(-1)).toBe(bytesToHex(bloomOfTopics([TOPIC_A])));
  });

  it('bridges Waku and Whisper: A (waku) - B (both) - C (shh), both ways, once', async () => {
    const a = await nodes.node();
    const b = await nodes.node({ protocols: ['waku', 'shh'] });
    const c = await nodes.node({ protocols: ['shh'] });
    await linkInMemory(a, b);
    await linkInMemory(b, c, { protocol: 'shh' });
    const atC = c.subscribe({ topics: [TOPIC_A], symKey: KEY });
    const atA = a.subscribe({ topics: [TOPIC_B], symKey: KEY });
    await a.post({ topic: TOPIC_A, symKey: KEY, payload: Uint8Array.of(1) });
    await c.post({ topic: TOPIC_B, symKey: KEY, payload: Uint8Array.of(2) });
    await advance(nodes.clock, 1200);
    expect((await atC.next()).payload).toEqual(Uint8Array.of(1));
    expect((await atA.next()).payload).toEqual(Uint8Array.of(2));
    expect(atC.pending + atA.pending).toBe(0);
  });

  it('does not send the same envelope twice to one node reachable over waku/1 and shh/6', async () => {
    const x = await nodes.node({ protocols: ['waku', 'shh'] });
    const y = await nodes.node({ protocols: ['waku', 'shh'] });
    const idX = new Uint8Array(64).fill(1);
    const idY = new Uint8Array(64).fill(2);
    await linkInMemory(x, y, { protocol: 'shh', idA: idX, idB: idY });
    const waku = await linkInMemory(x, y, { protocol: 'waku', idA: idX, idB: idY });
    const packets: number[] = [];
    const original = waku.streamA.send.bind(waku.streamA);
    waku.streamA.send = (code, payload) => {
      packets.push(code);
      return original(code, payload);
    };
    x.postEnvelope(makeEnvelope(nodes.clock));
    await advance(nodes.clock, 600);
    expect(y.poolSize).toBe(1);
    expect(packets.filter((c) => c === WhisperCode.Messages)).toHaveLength(1);
    expect(y.counters.dropped.duplicate).toBe(0);
  });
});
