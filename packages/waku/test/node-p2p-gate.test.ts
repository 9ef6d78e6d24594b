import { bytesToHex } from '@status-ts/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Envelope,
  encodeP2PMessages,
  encodeP2PRequestComplete,
  type P2PGate,
  type P2PRequestComplete,
  WakuCode,
  WakuNode,
  type WakuPeer,
} from '../src/index.js';
import { code } from './helpers/errors.js';
import { KEY, makeEnvelope, Nodes, RawPeer, settle, TOPIC_A } from './helpers/nodes.js';

// A trusted peer (a mailserver) is trusted to send history, not to send any amount of it: the gate lets the
// mail client decide, before any filter, which of its P2P envelopes the app gets.

const nodes = new Nodes();
afterEach(() => nodes.stop());

interface GateCall {
  peer: string;
  envelopes: number;
  packetBytes: number;
}

/** A gate passing only the envelopes in `allowed` and the completes whose request id starts with 1. */
function recordingGate(allowed: Set<string>) {
  const calls: GateCall[] = [];
  const completes: GateCall[] = [];
  const gate: P2PGate = {
    envelopes: (peer, envelopes, packetBytes) => {
      calls.push({ peer: peer.idHex, envelopes: envelopes.length, packetBytes });
      return envelopes.filter((e) => allowed.has(e.hashHex));
    },
    complete: (peer, complete, packetBytes) => {
      completes.push({ peer: peer.idHex, envelopes: 0, packetBytes });
      return complete.requestId[0] === 1;
    },
  };
  return { gate, calls, completes };
}

function history(count: number): Envelope[] {
  return Array.from({ length: count }, () => makeEnvelope(nodes.clock, { symKey: KEY, sentOffset: -600 }));
}

function live(count: number): Envelope[] {
  return Array.from({ length: count }, () => makeEnvelope(nodes.clock, { symKey: KEY }));
}

async function drain(filter: { pending: number; next(): Promise<{ hashHex: string }> }): Promise<string[]> {
  const out: string[] = [];
  while (filter.pending > 0) out.push((await filter.next()).hashHex);
  return out;
}

describe('WakuNode P2P gate', () => {
  it("a trusted peer's P2P envelopes the gate refuses never reach a filter or p2p:envelopes, and are counted", async () => {
    const page = history(5);
    const { gate, calls } = recordingGate(new Set([page[0]!.hashHex, page[3]!.hashHex]));
    const node = await nodes.node({ p2pGate: gate });
    const app = node.subscribe({ topics: [TOPIC_A], symKey: KEY });
    const emitted: string[][] = [];
    node.on('p2p:envelopes', (_peer, envelopes) => emitted.push(envelopes.map((e) => e.hashHex)));
    const raw = new RawPeer(node);
    await raw.status();
    node.markTrusted(raw.id);
    const payload = encodeP2PMessages(page);
    await raw.send(WakuCode.P2PMessage, payload);
    await settle();

    const delivered = [page[0]!.hashHex, page[3]!.hashHex];
    expect(await drain(app)).toEqual(delivered);
    expect(emitted).toEqual([delivered]);
    expect(calls).toEqual([{ peer: bytesToHex(raw.id), envelopes: 5, packetBytes: payload.length }]);
    expect(node.counters.p2pEnvelopesReceived).toBe(5);
    expect(node.counters.dropped.p2pRefused).toBe(3);
    expect(node.counters.messagesDelivered).toBe(2);

    // Everything refused: nothing delivered, nothing emitted.
    await raw.send(WakuCode.P2PMessage, encodeP2PMessages(history(4)));
    await settle();
    expect(app.pending).toBe(0);
    expect(emitted).toHaveLength(1);
    expect(node.counters.dropped.p2pRefused).toBe(7);
    expect(node.p2pGate).toBe(gate);
  });

  it('request-complete packets the gate refuses are not emitted, and are counted', async () => {
    const { gate, completes } = recordingGate(new Set());
    const node = await nodes.node({ p2pGate: gate });
    const seen: P2PRequestComplete[] = [];
    node.on('p2p:requestComplete', (_peer, complete) => seen.push(complete));
    const raw = new RawPeer(node);
    await raw.status();
    node.markTrusted(raw.id);
    const refused = encodeP2PRequestComplete({ requestId: new Uint8Array(32).fill(2) });
    await raw.send(WakuCode.P2PRequestComplete, refused);
    await raw.send(
      WakuCode.P2PRequestComplete,
      encodeP2PRequestComplete({ requestId: new Uint8Array(32).fill(1) }),
    );
    await settle();
    expect(seen.map((c) => c.requestId[0])).toEqual([1]);
    expect(completes[0]).toEqual({ peer: bytesToHex(raw.id), envelopes: 0, packetBytes: refused.length });
    expect(node.counters.dropped.p2pCompleteRefused).toBe(1);
  });

  it('setP2PGate installs and removes a gate at run time; without one every P2P envelope is delivered', async () => {
    const node = await nodes.node();
    expect(node.p2pGate).toBeUndefined();
    const app = node.subscribe({ topics: [TOPIC_A], symKey: KEY });
    const raw = new RawPeer(node);
    await raw.status();
    node.markTrusted(raw.id);
    const [first, second, third] = [history(2), history(2), history(2)];
    await raw.send(WakuCode.P2PMessage, encodeP2PMessages(first));
    await settle();
    expect(await drain(app)).toHaveLength(2);

    const { gate } = recordingGate(new Set([second[1]!.hashHex]));
    node.setP2PGate(gate);
    expect(node.p2pGate).toBe(gate);
    await raw.send(WakuCode.P2PMessage, encodeP2PMessages(second));
    await settle();
    expect(await drain(app)).toEqual([second[1]!.hashHex]);

    node.setP2PGate(undefined);
    await raw.send(WakuCode.P2PMessage, encodeP2PMessages(third));
    await settle();
    expect(await drain(app)).toHaveLength(2);
    expect(node.counters.dropped.p2pRefused).toBe(1);
  });

  it('untrusted peers never reach the gate; a gate that throws refuses the whole packet', async () => {
    let calls = 0;
    const node = await nodes.node({
      p2pGate: {
        envelopes: () => {
          calls++;
          throw new Error('gate bug');
        },
        complete: () => {
          calls++;
          throw new Error('gate bug');
        },
      },
    });
    const app = node.subscribe({ topics: [TOPIC_A], symKey: KEY });
    const completes: unknown[] = [];
    node.on('p2p:requestComplete', (_p, c) => completes.push(c));
    const raw = new RawPeer(node);
    await raw.status();
    await raw.send(WakuCode.P2PMessage, encodeP2PMessages(history(2)));
    await settle();
    expect(calls).toBe(0);
    expect(node.counters.dropped.untrustedP2P).toBe(1);

    node.markTrusted(raw.id);
    await raw.send(WakuCode.P2PMessage, encodeP2PMessages(history(3)));
    await raw.send(WakuCode.P2PRequestComplete, encodeP2PRequestComplete({ requestId: new Uint8Array(32) }));
    await settle();
    expect(calls).toBe(2);
    expect(app.pending).toBe(0);
    expect(completes).toEqual([]);
    expect(node.counters.dropped.p2pRefused).toBe(3);
    expect(node.counters.dropped.p2pCompleteRefused).toBe(1);
    // The peer is not punished for our gate's bug.
    expect(raw.closed).toBe(false);
  });

  it('validates the p2pGate option', () => {
    const bad = [{}, { envelopes: () => [] }, { envelopes: () => [], complete: 1 }, 'gate'];
    for (const p2pGate of bad) {
      expect(code(() => new WakuNode({ p2pGate: p2pGate as unknown as P2PGate }))).toBe(
        'ERR_WAKU_INVALID_OPTIONS',
      );
    }
    const node = new WakuNode();
    expect(code(() => node.setP2PGate({} as unknown as P2PGate))).toBe('ERR_WAKU_INVALID_OPTIONS');
    const ok: P2PGate = { envelopes: (_p: WakuPeer, e) => e, complete: () => true };
    expect(new WakuNode({ p2pGate: ok }).p2pGate).toBe(ok);
  });
});

describe('rate limits of trusted peers', () => {
  it("limits a trusted peer's Messages packets and envelopes like any peer's, and spares only its P2P history", async () => {
    const node = await nodes.node({ rateLimits: { packetsPerPeer: 2, envelopesPerPeer: 3, tolerance: 100 } });
    const app = node.subscribe({ topics: [TOPIC_A], symKey: KEY });
    const mailserver = new RawPeer(node);
    node.markTrusted(mailserver.id);
    await mailserver.status();
    // Relay traffic: 3 envelopes/s, then the third packet in the second is over 2 packets/s.
    await mailserver.sendEnvelopes(live(5));
    await mailserver.sendEnvelopes(live(1));
    await mailserver.sendEnvelopes(live(1));
    expect(node.counters.dropped.envelopeRateLimited).toBe(3);
    expect(node.counters.dropped.rateLimited).toBe(1);
    expect(node.poolSize).toBe(3);
    await drain(app);

    // History in the same second: far over 2 packets/s, none of it is limited.
    for (let i = 0; i < 6; i++) await mailserver.send(WakuCode.P2PMessage, encodeP2PMessages(history(2)));
    await mailserver.send(
      WakuCode.P2PRequestComplete,
      encodeP2PRequestComplete({ requestId: new Uint8Array(32) }),
    );
    await settle();
    expect(node.counters.dropped.rateLimited).toBe(1);
    expect(node.counters.p2pEnvelopesReceived).toBe(12);
    expect(await drain(app)).toHaveLength(12);
    expect(mailserver.closed).toBe(false);
  });
});
