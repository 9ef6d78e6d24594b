import { describe, expect, it } from 'vitest';
import { type Devp2pPeerLike, type Devp2pServerLike, serverDialer, targetId } from '../src/index.js';
import { makeEnr } from './helpers.js';

class FakeDevp2pPeer implements Devp2pPeerLike {
  readonly idHex = 'ab'.repeat(64);
  readonly shared = [{ name: 'waku', version: 1, offset: 16 }];
  closed = false;
  reasons: number[] = [];
  readonly #listeners = new Set<(info: { reason: number }) => void>();
  once(_event: 'closed', listener: (info: { reason: number }) => void) {
    this.#listeners.add(listener);
  }
  off(_event: 'closed', listener: (info: { reason: number }) => void) {
    this.#listeners.delete(listener);
  }
  disconnect(reason = 0) {
    this.reasons.push(reason);
    this.close(reason);
  }
  close(reason: number) {
    this.closed = true;
    for (const l of [...this.#listeners]) l({ reason });
    this.#listeners.clear();
  }
}

describe('serverDialer', () => {
  it('wraps the devp2p peer: id, shared capabilities, disconnect notification', async () => {
    const peer = new FakeDevp2pPeer();
    const server: Devp2pServerLike = { dial: async () => peer };
    const connected = await serverDialer(server).dial(makeEnr());
    expect(connected.id).toBe(peer.idHex);
    expect(connected.capabilities).toEqual([{ name: 'waku', version: 1 }]);
    const reasons: Array<string | undefined> = [];
    const unsubscribe = connected.onDisconnected((r) => reasons.push(r));
    peer.close(0x04);
    expect(reasons).toEqual(['devp2p disconnect 0x04']);
    unsubscribe();
    // Already closed: the listener still hears about it.
    connected.onDisconnected((r) => reasons.push(r));
    await Promise.resolve();
    expect(reasons).toEqual(['devp2p disconnect 0x04', 'closed']);
  });

  it("an aborted dial rejects at once with the signal's reason and closes a connection that completes later", async () => {
    const peer = new FakeDevp2pPeer();
    let finish!: (p: Devp2pPeerLike) => void;
    const server: Devp2pServerLike = { dial: () => new Promise((resolve) => (finish = resolve)) };
    const controller = new AbortController();
    const dialing = serverDialer(server).dial(makeEnr(), controller.signal);
    controller.abort();
    await expect(dialing).rejects.toBe(controller.signal.reason);
    await expect(dialing).rejects.toMatchObject({ name: 'AbortError' });
    finish(peer);
    await Promise.resolve();
    await Promise.resolve();
    expect(peer.reasons).toEqual([0]);
    await expect(serverDialer(server).dial(makeEnr(), controller.signal)).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('hands the signal to the server, and never adopts (and closes) an inbound connection once aborted', async () => {
    const inbound = new FakeDevp2pPeer();
    const enr = makeEnr();
    const seen: Array<AbortSignal | undefined> = [];
    const server: Devp2pServerLike = {
      dial: (_target, options) => {
        seen.push(options?.signal);
        // A server that honours the signal rejects with its reason.
        return new Promise((_resolve, reject) =>
          options?.signal?.addEventListener('abort', () => reject(options.signal!.reason)),
        );
      },
      getPeer: (id) => (id === targetId(enr) ? inbound : undefined),
    };
    const controller = new AbortController();
    const dialing = serverDialer(server).dial(enr, controller.signal);
    expect(seen).toEqual([controller.signal]);
    controller.abort();
    await expect(dialing).rejects.toBe(controller.signal.reason);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(inbound.reasons).toEqual([]);
  });

  it('passes dial failures through', async () => {
    const server: Devp2pServerLike = { dial: async () => Promise.reject(new Error('refused')) };
    await expect(serverDialer(server).dial(makeEnr())).rejects.toThrow('refused');
  });

  it('reuses a connection the node opened to us when the dial is refused as a duplicate', async () => {
    const inbound = new FakeDevp2pPeer();
    const enr = makeEnr();
    const server: Devp2pServerLike = {
      dial: async () => Promise.reject(new Error('already connected')),
      getPeer: (id) => (id === targetId(enr) ? inbound : undefined),
    };
    const connected = await serverDialer(server).dial(enr);
    expect(connected.id).toBe(inbound.idHex);
    await expect(serverDialer(server).dial(makeEnr())).rejects.toThrow('already connected');
  });
});
