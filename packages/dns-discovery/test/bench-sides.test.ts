import { promises as nodeDns } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { getPeersOnce, routeEthereumjsTo, sampleUntilAll } from '../bench/ethereumjs.js';
import { BenchZone } from '../bench/zone.js';
import { buildTree, DnsClient } from '../src/index.js';
import { SIGNER_KEY, testEnrs } from './helpers/fixtures.js';

// The side-by-side benchmark's premises: both clients read the same zone, its lookup counter sees both, and
// "every record" means every record for @ethereumjs as for ours (else its figures would describe another task).
describe('bench: both clients on one in-process zone', () => {
  const LEAVES = 8;
  const tree = buildTree({ domain: 'bench.test', privateKey: SIGNER_KEY, seq: 1, enrs: testEnrs(LEAVES) });

  it('ours syncs every leaf with one lookup per record; @ethereumjs samples until it has them all', async () => {
    const zone = new BenchZone(tree.records());
    const ours = await new DnsClient({ resolver: zone.resolver() }).syncTree(tree.url);
    expect(ours.enrs).toHaveLength(LEAVES);
    expect(zone.lookups).toBe(Object.keys(tree.records()).length);

    const original = nodeDns.resolve;
    const restore = routeEthereumjsTo(zone);
    try {
      const before = zone.lookups;
      const all = await sampleUntilAll(tree.url, LEAVES, 50 * LEAVES);
      expect(all.distinct).toBe(LEAVES);
      expect(all.descents).toBeGreaterThanOrEqual(LEAVES);
      // Cached answers: at most one lookup per record, none for the link subtree it ignores.
      expect(zone.lookups - before).toBeLessThan(Object.keys(tree.records()).length);
      expect(zone.lookups - before).toBeGreaterThan(LEAVES);
      // Its documented call stops at maxQuantity + 10 descents, with at most maxQuantity peers.
      expect(await getPeersOnce(tree.url, LEAVES)).toBeLessThanOrEqual(LEAVES);
    } finally {
      restore();
    }
    expect(nodeDns.resolve).toBe(original);
  });
});
