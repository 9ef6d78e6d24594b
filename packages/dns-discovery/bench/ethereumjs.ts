import { promises as nodeDns } from 'node:dns';
import { DNS } from '@ethereumjs/devp2p';
import type { BenchZone } from './zone.js';

/**
 * @ethereumjs/devp2p 10.0.0's DNS client (dist/esm/dns/dns.js, enr.js), driven at its public API level.
 *
 * What it does: `getPeers(maxQuantity, [url])` runs random root-to-leaf descents, each choosing a child
 * uniformly at every branch (with replacement across descents), until it holds `maxQuantity` peers distinct by
 * IP address or has made `maxQuantity + 10` descents. Every descent re-verifies the root signature and the
 * leaf's ENR signature (secp256k1 of ethereum-cryptography 3.2.0, i.e. @noble/curves 1.9.0); no entry is
 * checked against the hash that names it, the link subtree is ignored, and TXT answers are cached per
 * instance for the instance's life. It returns `{ address, tcpPort, udpPort }`, not records. It has no call
 * that enumerates a tree, so "every record" is reachable only by sampling until all have turned up.
 */

/** Points @ethereumjs's DNS class at `zone` (it resolves through the process-wide `dns.promises.resolve`). */
export function routeEthereumjsTo(zone: BenchZone): () => void {
  const original = nodeDns.resolve;
  new DNS().__setNativeDNSModuleResolve({
    resolve: (name: string, type: string) => {
      if (type !== 'TXT') return Promise.reject(new Error(`bench zone: ${type} queries not served`));
      return zone.txt(name);
    },
  });
  return () => {
    (nodeDns as { resolve: typeof original }).resolve = original;
  };
}

export interface SampleRun {
  /** Peers (distinct by address and ports) obtained. */
  distinct: number;
  /** Root-to-leaf descents made. */
  descents: number;
}

/**
 * Its documented call for `wanted` peers: one `getPeers(wanted)` on a fresh instance (empty cache). Returns
 * the peers obtained; fewer than `wanted` means it made its `wanted + 10` descents.
 */
export async function getPeersOnce(url: string, wanted: number): Promise<number> {
  return (await new DNS().getPeers(wanted, [url])).length;
}

/**
 * Every one of `total` records through its API: `getPeers(1)` on one instance (its cache kept across calls)
 * until `total` distinct peers have turned up. On a sound tree each call is exactly one descent (the first
 * peer of a call is always new to that call), so the number of calls is the number of descents its random
 * sampling needed. Stops after `maxDescents` (reported as not complete).
 */
export async function sampleUntilAll(url: string, total: number, maxDescents: number): Promise<SampleRun> {
  const dns = new DNS();
  const seen = new Set<string>();
  let descents = 0;
  while (seen.size < total && descents < maxDescents) {
    const [peer] = await dns.getPeers(1, [url]);
    descents++;
    if (peer) seen.add(`${peer.address}:${peer.tcpPort}:${peer.udpPort}`);
  }
  return { distinct: seen.size, descents };
}
