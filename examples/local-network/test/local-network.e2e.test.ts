import { describe, expect, it } from 'vitest';
import { startLocalNetwork } from '../src/network.js';

describe('local network demo', () => {
  it('links 4 nodes in a ring over real RLPx and every node greets both neighbours', async () => {
    const network = await startLocalNetwork({ size: 4 });
    try {
      for (const [i, node] of network.nodes.entries()) {
        const prev = network.nodes[(i + 3) % 4]!.account.name;
        const next = network.nodes[(i + 1) % 4]!.account.name;
        expect(node.greetings.map((g) => g.from).sort()).toEqual([prev, next].sort());
        expect(node.server.peers).toHaveLength(2);
        expect(node.enr.tcp).toBe(node.server.address!.port);
      }
    } finally {
      await network.stop();
    }
    for (const node of network.nodes) expect(node.server.peers).toHaveLength(0);
  });
});
