import { type P2PGate, type P2PRequestComplete, WakuNode, type WakuPeer } from '@status-ts/waku';
import { describe, expect, it } from 'vitest';
import { joinP2PGate } from '../src/client-gate.js';

const peer = {} as WakuPeer;
const complete = {} as P2PRequestComplete;

/** A gate that passes every envelope and answers `takes` for request-completes, recording each call. */
function gate(takes: boolean): P2PGate & { completes: number } {
  return {
    completes: 0,
    envelopes: (_peer, envelopes) => envelopes,
    complete() {
      this.completes++;
      return takes;
    },
  };
}

describe('joinP2PGate', () => {
  it('emits a request-complete only when every gate takes it, and asks each of them', () => {
    const node = new WakuNode();
    const [refusing, taking] = [gate(false), gate(true)];
    joinP2PGate(node, refusing);
    joinP2PGate(node, taking);
    expect(node.p2pGate?.complete(peer, complete, 10)).toBe(false);
    expect([refusing.completes, taking.completes]).toEqual([1, 1]);
  });

  it('keeps the say of a gate installed over the clients, and puts it back when they leave', () => {
    const node = new WakuNode();
    const leaveA = joinP2PGate(node, gate(true));
    const app = gate(false);
    node.setP2PGate(app);
    const leaveB = joinP2PGate(node, gate(true));
    expect(node.p2pGate).not.toBe(app);
    expect(node.p2pGate?.complete(peer, complete, 10)).toBe(false);
    expect(app.completes).toBe(1);
    leaveA();
    leaveB();
    expect(node.p2pGate).toBe(app);
  });

  it('leaves a gate installed over the clients in place when the last client leaves', () => {
    const node = new WakuNode();
    const leave = joinP2PGate(node, gate(true));
    const app = gate(true);
    node.setP2PGate(app);
    leave();
    expect(node.p2pGate).toBe(app);
  });
});
