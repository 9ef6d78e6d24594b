import { bytesToHex } from '@status-ts/core';
import { describe, expect, it } from 'vitest';
import { Session, SessionCache } from '../src/index.js';

function session(n: number, initiator = true): Session {
  const nodeId = new Uint8Array(32).fill(n);
  return new Session({
    nodeId,
    nodeIdHex: bytesToHex(nodeId),
    endpoint: { ip: '10.0.0.1', port: 9000 + n },
    publicKey: new Uint8Array(33),
    writeKey: new Uint8Array(16),
    readKey: new Uint8Array(16),
    initiator,
    record: undefined,
  });
}

describe('Session', () => {
  it('is confirmed from the start only on the recipient side', () => {
    expect(session(1, true).confirmed).toBe(false);
    expect(session(1, false).confirmed).toBe(true);
  });

  it('counts messages and starts each nonce with the big-endian counter', () => {
    const s = session(1);
    expect(s.messagesSent).toBe(0);
    const first = s.nextNonce();
    const second = s.nextNonce();
    expect(first).toHaveLength(12);
    expect([...first.subarray(0, 4)]).toEqual([0, 0, 0, 1]);
    expect([...second.subarray(0, 4)]).toEqual([0, 0, 0, 2]);
    expect(s.messagesSent).toBe(2);
  });
});

describe('SessionCache', () => {
  it('get refreshes a session so the other one is evicted', () => {
    const cache = new SessionCache(2);
    const a = session(1);
    const b = session(2);
    cache.set('a', a);
    cache.set('b', b);
    expect(cache.get('a')).toBe(a);
    expect(cache.set('c', session(3))).toBe(b);
    expect(cache.peek('a')).toBe(a);
  });

  it('get and peek of an unknown key change nothing', () => {
    const cache = new SessionCache(2);
    expect(cache.get('x')).toBeUndefined();
    expect(cache.peek('x')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('peek does not refresh a session', () => {
    const cache = new SessionCache(2);
    const a = session(1);
    cache.set('a', a);
    cache.set('b', session(2));
    expect(cache.peek('a')).toBe(a);
    expect(cache.set('c', session(3))).toBe(a);
  });

  it('storing the same session again keeps the one it replaced', () => {
    const cache = new SessionCache(2);
    const a = session(1);
    const b = session(1);
    cache.set('k', a);
    cache.set('k', b);
    expect(b.previous).toBe(a);
    cache.set('k', b);
    expect(b.previous).toBe(a);
    expect(cache.size).toBe(1);
  });

  it('delete, clear and values', () => {
    const cache = new SessionCache(3);
    const a = session(1);
    const b = session(2);
    cache.set('a', a);
    cache.set('b', b);
    expect([...cache.values()]).toEqual([a, b]);
    cache.delete('a');
    expect([...cache.values()]).toEqual([b]);
    cache.clear();
    expect(cache.size).toBe(0);
  });
});
