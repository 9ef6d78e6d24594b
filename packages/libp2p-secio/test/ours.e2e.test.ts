import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { sameBytes } from './helpers/memory-duplex.js';
import { invert, rendRoundTrip, startNode, type TestNode } from './helpers/node.js';

describe('libp2p 2.x ↔ libp2p 2.x over secio (TCP, 127.0.0.1)', () => {
  const nodes: TestNode[] = [];
  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
  });

  it.each([['mplex'], ['yamux']] as const)('secio + %s carries /rend/0.1.0 both ways', async (muxer) => {
    const server = await startNode({ muxers: [muxer] });
    const client = await startNode({ muxers: [muxer] });
    nodes.push(server, client);
    const payload = new Uint8Array(randomBytes(1_000_000));
    expect(sameBytes(await rendRoundTrip(client.node, server.address, payload), invert(payload))).toBe(true);
    const [connection] = client.node.getConnections();
    expect(connection?.encryption).toBe('/secio/1.0.0');
    expect(connection?.multiplexer).toBe(muxer === 'mplex' ? '/mplex/6.7.0' : '/yamux/1.0.0');
    // Several streams at once on the same secured connection.
    const many = await Promise.all(
      [1, 2, 3, 4].map((n) => rendRoundTrip(client.node, server.address, new Uint8Array(n * 1000).fill(n))),
    );
    for (const [i, answer] of many.entries()) {
      expect(answer).toEqual(new Uint8Array((i + 1) * 1000).fill((i + 1) ^ 0xff));
    }
    expect(client.node.getConnections()).toHaveLength(1);
  });

  it('noise is still chosen first when both sides offer noise then secio', async () => {
    const server = await startNode({ encrypters: ['noise', 'secio'] });
    const client = await startNode({ encrypters: ['noise', 'secio'] });
    nodes.push(server, client);
    await rendRoundTrip(client.node, server.address, Uint8Array.of(9));
    expect(client.node.getConnections()[0]?.encryption).toBe('/noise');
  });

  it('a secio-only node reaches a node offering noise then secio', async () => {
    const server = await startNode({ encrypters: ['noise', 'secio'] });
    const client = await startNode({ encrypters: ['secio'] });
    nodes.push(server, client);
    expect(await rendRoundTrip(client.node, server.address, Uint8Array.of(1, 2))).toEqual(
      Uint8Array.of(254, 253),
    );
    expect(client.node.getConnections()[0]?.encryption).toBe('/secio/1.0.0');
  });

  it('hanging up and stopping report no secio error on either side', async () => {
    const seen: unknown[] = [];
    const server = await startNode({ secio: { onError: (e) => seen.push(e) } });
    const client = await startNode({ secio: { onError: (e) => seen.push(e) } });
    await rendRoundTrip(client.node, server.address, Uint8Array.of(5));
    await client.node.hangUp(server.node.peerId);
    await rendRoundTrip(client.node, server.address, Uint8Array.of(6));
    await client.stop();
    await server.stop();
    expect(seen).toEqual([]);
  });
});
