import { utf8ToBytes } from '@status-ts/core';
import { describe, expect, it } from 'vitest';
import { MemoryNetwork, MvdsNode } from '../src/index.js';

// Timers that keep the process running (unref'd ones are not listed).
function refTimers(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
}

describe('MemoryNetwork keeps the process running while a node reads from it, as a socket would', () => {
  it('holds it from start() to stop() of a node', async () => {
    const network = new MemoryNetwork();
    const node = new MvdsNode({ transport: network.transport(utf8ToBytes('alice')) });
    const before = refTimers();
    await node.start();
    expect(refTimers()).toBe(before + 1);
    await node.stop();
    expect(refTimers()).toBe(before);
  });

  it('holds it for each reading of a transport, until its signal aborts', async () => {
    const network = new MemoryNetwork();
    const controller = new AbortController();
    const before = refTimers();
    const reading = (async () => {
      for await (const _ of network.transport(utf8ToBytes('bob')).receive(controller.signal)) {
        // nothing is sent: the loop waits until the abort
      }
    })();
    await new Promise((resolve) => setImmediate(resolve));
    expect(refTimers()).toBe(before + 1);
    controller.abort();
    await reading;
    expect(refTimers()).toBe(before);
  });

  it('releases it when the reader leaves the loop', async () => {
    const network = new MemoryNetwork();
    const alice = network.transport(utf8ToBytes('alice'));
    const bob = network.transport(utf8ToBytes('bob'));
    const before = refTimers();
    alice.send(bob.peer, new Uint8Array([1]));
    for await (const incoming of bob.receive(new AbortController().signal)) {
      expect(incoming.payload).toEqual(new Uint8Array([1]));
      break;
    }
    expect(refTimers()).toBe(before);
  });
});
