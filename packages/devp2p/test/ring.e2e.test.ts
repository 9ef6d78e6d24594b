import { bytesToHex } from '@status-ts/core';
import { afterAll, describe, expect, it } from 'vitest';
import type { Server } from '../src/index.js';
import { makeServer, RecordingCapability, waitFor } from './helpers/nodes.js';

const NODES = 10;
const PER_NEIGHBOUR = 500; // 10 nodes x 2 neighbours x 500 = 10,000 messages

const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

describe('a ring of 10 nodes', () => {
  it('exchanges 10,000 messages with no loss, duplication or reordering', async () => {
    const caps = Array.from({ length: NODES }, () => new RecordingCapability('ring', 1, 4));
    for (const cap of caps) servers.push(makeServer({ capabilities: [cap] }));
    await Promise.all(servers.map((s) => s.start()));
    await Promise.all(servers.map((s, i) => s.dial(servers[(i + 1) % NODES]!.enode)));
    await waitFor(() => caps.every((c) => c.streams.length === 2), 10_000, 'ring links');
    for (const s of servers) expect(s.peers.length).toBe(2);

    await Promise.all(
      caps.flatMap((cap, i) =>
        cap.streams.map(async (stream) => {
          for (let seq = 0; seq < PER_NEIGHBOUR; seq++) {
            const payload = new Uint8Array(64 + (seq % 200));
            new DataView(payload.buffer).setUint32(0, i);
            new DataView(payload.buffer).setUint32(4, seq);
            await stream.send(seq % 4, payload);
          }
        }),
      ),
    );
    await waitFor(() => caps.every((c) => c.received.length === 2 * PER_NEIGHBOUR), 30_000, 'all messages');

    let total = 0;
    for (const [i, cap] of caps.entries()) {
      const bySender = new Map<string, number[]>();
      for (const m of cap.received) {
        const view = new DataView(m.payload.buffer, m.payload.byteOffset, m.payload.byteLength);
        const seq = view.getUint32(4);
        expect(m.code).toBe(seq % 4);
        expect(m.payload.length).toBe(64 + (seq % 200));
        const list = bySender.get(m.from) ?? [];
        list.push(seq);
        bySender.set(m.from, list);
        total++;
      }
      const neighbours = [servers[(i + 1) % NODES]!, servers[(i + NODES - 1) % NODES]!].map((s) =>
        bytesToHex(s.id),
      );
      expect([...bySender.keys()].sort()).toEqual(neighbours.sort());
      for (const seqs of bySender.values())
        expect(seqs).toEqual(Array.from({ length: PER_NEIGHBOUR }, (_, k) => k));
    }
    expect(total).toBe(10_000);
    for (const s of servers) {
      for (const p of s.peers) {
        expect(p.stats.messagesOut).toBeGreaterThanOrEqual(PER_NEIGHBOUR);
        expect(p.stats.messagesIn).toBeGreaterThanOrEqual(PER_NEIGHBOUR);
        expect(p.stats.errors).toBe(0);
      }
    }
  });
});
