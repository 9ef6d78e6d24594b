import { hexToBytes, ManualClock } from '@status-ts/core';
import { generatePrivateKey, getPublicKey, keccak256 } from '@status-ts/crypto';
import { Enr } from '@status-ts/enr';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  acceptHandshake,
  Discv5Error,
  Discv5Node,
  decodeHandshakeAuthdata,
  decodeMessage,
  decodeMessageAuthdata,
  decodePacket,
  decodeWhoareyouAuthdata,
  encodeMessage,
  encodeMessagePacket,
  encodeWhoareyouPacket,
  MemoryNetwork,
  MessageType,
} from '../src/index.js';

const RUNS = 1000;
const localKey = generatePrivateKey();
const localId = keccak256(getPublicKey(localKey, 'raw'));

/** Runs `fn`; anything thrown must be a Discv5Error. */
function onlyTyped(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof Discv5Error)) throw err;
  }
}

/** A valid message packet to `localId` to mutate. */
const validPacket = encodeMessagePacket({
  srcId: new Uint8Array(32).fill(1),
  destId: localId,
  key: new Uint8Array(16),
  nonce: new Uint8Array(12),
  maskingIv: new Uint8Array(16),
  plaintext: encodeMessage({
    type: MessageType.FindNode,
    requestId: hexToBytes('01'),
    distances: [256, 255],
  }),
});
const validWhoareyou = encodeWhoareyouPacket({
  destId: localId,
  nonce: new Uint8Array(12),
  idNonce: new Uint8Array(16),
  enrSeq: 1n,
  maskingIv: new Uint8Array(16),
}).packet;

const mutated = (base: Uint8Array) =>
  fc
    .array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), {
      minLength: 1,
      maxLength: 8,
    })
    .chain((edits) =>
      fc.integer({ min: 0, max: base.length + 8 }).map((length) => {
        const out = new Uint8Array(length);
        out.set(base.subarray(0, Math.min(length, base.length)));
        for (const [i, v] of edits) if (i < length) out[i] = v;
        return out;
      }),
    );

const validMessages = [
  encodeMessage({ type: MessageType.Ping, requestId: hexToBytes('0102'), enrSeq: 5n }),
  encodeMessage({ type: MessageType.Pong, requestId: hexToBytes('01'), enrSeq: 5n, ip: '1.2.3.4', port: 9 }),
  encodeMessage({ type: MessageType.FindNode, requestId: hexToBytes('01'), distances: [1, 2, 256] }),
  encodeMessage({
    type: MessageType.Nodes,
    requestId: hexToBytes('01'),
    total: 1,
    records: [Enr.create({ privateKey: localKey, ip: '1.2.3.4', udp: 5 }).encode()],
  }),
  encodeMessage({
    type: MessageType.TalkReq,
    requestId: hexToBytes('01'),
    protocol: hexToBytes('aa'),
    request: hexToBytes('bb'),
  }),
  encodeMessage({ type: MessageType.TalkResp, requestId: hexToBytes('01'), response: hexToBytes('cc') }),
];

describe('decoders raise only typed errors (fast-check)', () => {
  it(`decodePacket on random bytes (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 1400 }), (bytes) => {
        onlyTyped(() => decodePacket(localId, bytes));
      }),
      { numRuns: RUNS },
    );
  });

  it(`decodePacket on mutated valid packets (${RUNS} runs each)`, () => {
    for (const base of [validPacket, validWhoareyou]) {
      fc.assert(
        fc.property(mutated(base), (bytes) => {
          onlyTyped(() => {
            const p = decodePacket(localId, bytes);
            if (p.flag === 0) decodeMessageAuthdata(p.authdata);
            if (p.flag === 1) decodeWhoareyouAuthdata(p.authdata);
            if (p.flag === 2) decodeHandshakeAuthdata(p.authdata);
          });
        }),
        { numRuns: RUNS },
      );
    }
  });

  it(`decodeMessage on random bytes (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 300 }), (bytes) => {
        onlyTyped(() => decodeMessage(bytes));
      }),
      { numRuns: RUNS },
    );
  });

  it(`decodeMessage on mutated valid messages (${RUNS} runs each)`, () => {
    for (const base of validMessages) {
      fc.assert(
        fc.property(mutated(base), (bytes) => {
          onlyTyped(() => decodeMessage(bytes));
        }),
        { numRuns: RUNS },
      );
    }
  });

  it(`handshake authdata and acceptHandshake on random input (${RUNS} runs)`, () => {
    const known = Enr.create({ privateKey: generatePrivateKey(), ip: '1.2.3.4', udp: 5 });
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 500 }), fc.boolean(), (bytes, withKnown) => {
        onlyTyped(() =>
          acceptHandshake({
            localPrivateKey: localKey,
            localId,
            challengeData: new Uint8Array(63),
            auth: decodeHandshakeAuthdata(bytes),
            knownRecord: withKnown ? known : undefined,
          }),
        );
      }),
      { numRuns: RUNS },
    );
  });

  it(`a running node fed random and mutated datagrams never throws and counts every drop (${RUNS} runs)`, async () => {
    const clock = new ManualClock(0);
    const network = new MemoryNetwork({ clock, latencyMs: 0 });
    const node = new Discv5Node({
      privateKey: localKey,
      transport: network.transport({ ip: '10.0.0.1', port: 9000 }),
      clock,
      autoRefresh: false,
    });
    await node.start();
    const sender = network.transport({ ip: '10.0.0.2', port: 9000 });
    const datagrams = fc.oneof(
      fc.uint8Array({ minLength: 0, maxLength: 1400 }),
      mutated(validPacket),
      mutated(validWhoareyou),
    );
    fc.assert(
      fc.property(datagrams, (bytes) => {
        sender.send(bytes, { ip: '10.0.0.1', port: 9000 });
        clock.runDue();
      }),
      { numRuns: RUNS },
    );
    const counters = node.counters;
    expect(counters.packetsIn).toBe(RUNS);
    // Every datagram was either dropped (typed reason) or answered with a WHOAREYOU (undecryptable message).
    expect(counters.packetsDropped + counters.whoareyouSent + counters.whoareyouResent).toBe(RUNS);
    expect(counters.dropped.internal).toBeUndefined();
    await sender.close();
    await node.stop();
  });
});
