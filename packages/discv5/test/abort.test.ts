import { getEventListeners } from 'node:events';
import { ManualClock } from '@status-ts/core';
import { generatePrivateKey, randomBytes } from '@status-ts/crypto';
import { Enr } from '@status-ts/enr';
import { afterEach, describe, expect, it } from 'vitest';
import { type Discv5Node, MemoryNetwork } from '../src/index.js';
import { drive, flush, ipOf, memoryNode } from './helpers.js';

const nodes: Discv5Node[] = [];
afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.stop()));
});

function world() {
  const clock = new ManualClock(1_000_000);
  const network = new MemoryNetwork({ clock, latencyMs: 5 });
  let i = 0;
  const make = async () => {
    const node = memoryNode({ network, clock, ip: ipOf(i++) });
    nodes.push(node);
    await node.start();
    return node;
  };
  return { clock, make };
}

/** A live-looking record of a node nobody runs: requests to it wait until they time out. */
function ghost(i: number): Enr {
  return Enr.create({ privateKey: generatePrivateKey(), ip: ipOf(200 + i), udp: 9 });
}

describe("aborting a request rejects with the signal's reason and forgets the request", () => {
  const requests = {
    ping: (a: Discv5Node, to: Enr, signal: AbortSignal) => a.ping(to, { signal }),
    findNode: (a: Discv5Node, to: Enr, signal: AbortSignal) => a.findNode(to, [256], { signal }),
    requestEnr: (a: Discv5Node, to: Enr, signal: AbortSignal) => a.requestEnr(to, { signal }),
    talkRequest: (a: Discv5Node, to: Enr, signal: AbortSignal) =>
      a.talkRequest(to, 'x', new Uint8Array(1), { signal }),
  };

  it.each(Object.entries(requests))('%s', async (_name, send) => {
    const { clock, make } = world();
    const a = await make();
    const timersBefore = clock.pendingTimers;
    const controller = new AbortController();
    const pending = send(a, ghost(0), controller.signal);
    await flush();
    expect(clock.pendingTimers).toBe(timersBefore + 1); // the request timeout
    controller.abort();
    await expect(pending).rejects.toBe(controller.signal.reason);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(clock.pendingTimers).toBe(timersBefore);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    // Abandoned, not timed out: the node is not held against the target.
    expect(a.counters.requestTimeouts).toBe(0);
    await expect(send(a, ghost(1), controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('an abandoned handshake leader hands the handshake to the request waiting for it', async () => {
    const { clock, make } = world();
    const a = await make();
    const b = await make();
    const controller = new AbortController();
    const leader = a.ping(b.localEnr, { signal: controller.signal });
    const waiting = a.requestEnr(b.localEnr);
    controller.abort();
    await expect(leader).rejects.toMatchObject({ name: 'AbortError' });
    const record = await drive(clock, waiting);
    expect(record.nodeIdHex).toBe(b.localEnr.nodeIdHex);
  });

  it('a lookup rejects with the reason and abandons the FINDNODE requests in flight', async () => {
    const { clock, make } = world();
    const a = await make();
    for (let i = 0; i < 5; i++) a.addEnr(ghost(i));
    const timersBefore = clock.pendingTimers;
    const controller = new AbortController();
    const lookup = a.lookup(randomBytes(32), controller.signal);
    await flush();
    expect(clock.pendingTimers).toBeGreaterThan(timersBefore);
    const reason = new Error('leaving the network view');
    controller.abort(reason);
    await expect(lookup).rejects.toBe(reason);
    await flush();
    expect(clock.pendingTimers).toBe(timersBefore);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
