import { utf8ToBytes } from '@status-ts/core';
import { describe, expect, it } from 'vitest';
import { createMemoryCapabilityPair, Devp2pErrorCode, DisconnectReason } from '../src/index.js';

const ids = { idA: new Uint8Array(64).fill(1), idB: new Uint8Array(64).fill(2) };

describe('in-memory CapabilityStream pair (for testing subprotocols without sockets)', () => {
  it('delivers in order both ways, checks codes like RLPx, and closes both ends with one reason', async () => {
    const [a, b] = createMemoryCapabilityPair({ name: 'waku', version: 1, length: 4, ...ids });
    expect(a.remoteId).toEqual(ids.idB);
    expect(b.remoteId).toEqual(ids.idA);
    await a.send(1, utf8ToBytes('one'));
    await a.send(3, utf8ToBytes('two'));
    await b.send(0, utf8ToBytes('back'));
    await expect(a.send(4, new Uint8Array(0))).rejects.toMatchObject({ code: Devp2pErrorCode.InvalidSend });
    const fromA: number[] = [];
    const reading = (async () => {
      for await (const m of b.messages()) fromA.push(m.code);
    })();
    expect(() => b.messages()).toThrow(expect.objectContaining({ code: Devp2pErrorCode.InvalidSend }));
    const first = await a.messages()[Symbol.asyncIterator]().next();
    expect(first.value).toMatchObject({ code: 0, payload: utf8ToBytes('back') });
    a.close(DisconnectReason.UselessPeer);
    await reading;
    expect(fromA).toEqual([1, 3]);
    expect(a.closed && b.closed).toBe(true);
    expect(b.closeReason).toBe(DisconnectReason.UselessPeer);
    await expect(b.send(0, new Uint8Array(0))).rejects.toMatchObject({
      code: Devp2pErrorCode.ConnectionClosed,
    });
  });
});
