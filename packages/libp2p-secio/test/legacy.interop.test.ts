import { randomBytes } from 'node:crypto';
import { privateKeyFromRaw } from '@libp2p/crypto/keys';
import type { PrivateKey } from '@libp2p/interface';
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id';
import { type LegacyPeer, startLegacyPeer } from '@status-ts/legacy-libp2p-peer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sameBytes } from './helpers/memory-duplex.js';
import { invert, rendRoundTrip, startNode, type TestNode } from './helpers/node.js';

describe('interop with js-libp2p 0.29.4 + libp2p-secio 0.13.1 (mplex, 127.0.0.1)', () => {
  let legacy: LegacyPeer;
  let ours: TestNode;
  let ourKey: PrivateKey;

  beforeAll(async () => {
    legacy = await startLegacyPeer();
    // Our identity is a raw secp256k1 key (as in an ENR), so both stacks must derive the same peer id.
    ourKey = privateKeyFromRaw(new Uint8Array(randomBytes(32)));
    ours = await startNode({
      privateKey: ourKey,
      encrypters: ['noise', 'secio'],
      muxers: ['yamux', 'mplex'],
    });
  });
  afterAll(async () => {
    await ours?.stop();
    await legacy?.stop();
  });

  it('the old stack dials ours and exchanges bytes both ways over /rend/0.1.0', async () => {
    const payload = new Uint8Array(randomBytes(100_000));
    const answer = await legacy.dialRend(ours.address, payload);
    expect(sameBytes(answer, invert(payload))).toBe(true);
    const connections = ours.node.getConnections();
    expect(connections.some((c) => c.encryption === '/secio/1.0.0' && c.multiplexer === '/mplex/6.7.0')).toBe(
      true,
    );
    expect(connections.map((c) => c.remotePeer.toString())).toContain(legacy.peerId);
    expect(ours.address.endsWith(`/p2p/${peerIdFromPrivateKey(ourKey).toString()}`)).toBe(true);
    expect(ourKey.type).toBe('secp256k1');
  });

  it('ours dials the old stack and exchanges bytes both ways over /rend/0.1.0', async () => {
    const before = legacy.served;
    await legacy.hangUpAll();
    await ours.node.hangUp(peerIdFromString(legacy.peerId));
    const payload = new Uint8Array(randomBytes(300_000));
    const answer = await rendRoundTrip(ours.node, legacy.multiaddr, payload);
    expect(sameBytes(answer, invert(payload))).toBe(true);
    expect(legacy.served).toBe(before + 1);
    const connection = ours.node.getConnections().find((c) => c.remotePeer.toString() === legacy.peerId);
    expect(connection?.direction).toBe('outbound');
    expect(connection?.encryption).toBe('/secio/1.0.0');
  });

  it.each([['ed25519'], ['rsa']] as const)(
    'an old-stack node with an %s identity is verified and served',
    async (keyType) => {
      const other = await startLegacyPeer({ keyType });
      try {
        const payload = new Uint8Array(randomBytes(20_000));
        expect(sameBytes(await other.dialRend(ours.address, payload), invert(payload))).toBe(true);
        expect(sameBytes(await rendRoundTrip(ours.node, other.multiaddr, payload), invert(payload))).toBe(
          true,
        );
      } finally {
        await other.stop();
      }
    },
  );
});
