import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createStatusNode,
  type DiscoveryOptions,
  defineFleet,
  type Fleet,
  type StatusNode,
  type StatusNodeOptions,
} from '@status-ts/client';
import { bytesToHex } from '@status-ts/core';
import { generatePrivateKey } from '@status-ts/crypto';
import { openMailserverSqliteStore } from '@status-ts/mailserver/sqlite';
import type { RateLimitOptions } from '@status-ts/waku';
import type { Cast, MemberRole } from './cast.js';
import { type PoolFill, startWatched } from './pool-watch.js';

/**
 * Search rounds for a network of a few nodes on loopback: the PeerPool's defaults (3 s fast rounds, 30 s
 * slow ones) suit the real fleet and would only slow the demo down.
 */
export const QUICK_SEARCH: DiscoveryOptions['timing'] = {
  fastPeriodMs: 300,
  slowPeriodMs: 1_000,
  backoffMinMs: 500,
};

/**
 * Waku's incoming rate limits, per peer only. Every node here shares the address 127.0.0.1, so the per-IP
 * limits (10 packets/s) would count the whole network as one peer and drop packets, a topic-interest update
 * among them (which is not sent again); on a real network each node has its own address.
 */
export const LOOPBACK_RATE_LIMITS: RateLimitOptions = { packetsPerIp: 0, bytesPerIp: 0 };

/** The service side of the network: a bootstrap node, relayers and a mailserver that found each other. */
export interface ServiceNetwork {
  /** A throwaway folder: the mailserver's archive and Bob's database; removed by `stop()`. */
  readonly dataDir: string;
  /** The local fleet naming the bootstrap node and the mailserver: what people are given instead of eth.prod. */
  readonly fleet: Fleet;
  readonly boot: StatusNode;
  readonly relayers: readonly StatusNode[];
  readonly mailserver: StatusNode;
  /** How each relayer's and the mailserver's PeerPool filled. */
  readonly fills: readonly PoolFill[];
  /** Stops every service node, closes the archive and removes the data folder. */
  stop(): Promise<void>;
}

/** Creates a client node (not started) with a fresh chat key unless given one, and adds it to the cast as `label`. */
export function castNode(
  cast: Cast,
  label: string,
  role: MemberRole,
  options: Omit<StatusNodeOptions, 'identity'> & Partial<Pick<StatusNodeOptions, 'identity'>>,
): StatusNode {
  const node = createStatusNode({
    identity: { privateKey: generatePrivateKey() },
    ...options,
    waku: { rateLimits: LOOPBACK_RATE_LIMITS, ...options.waku },
  });
  cast.add({ label, role, nodeId: bytesToHex(node.server.id), waku: node.waku });
  return node;
}

/**
 * A bootstrap node (discv5 on UDP and a rendezvous server) and the local fleet that names it; then two
 * relayers and a mailserver archiving into SQLite, which find each other through that fleet: discv5 walks
 * from the bootnode, and each registers its role (`whisper`, `whispermail`) at the rendezvous server.
 */
export async function startServices(
  cast: Cast,
  options: { timeoutMs: number; say: (line: string) => void },
): Promise<ServiceNetwork> {
  const { say, timeoutMs } = options;
  const dataDir = mkdtempSync(join(tmpdir(), 'status-ts-demo-'));
  const archive = openMailserverSqliteStore(join(dataDir, 'mailserver.db'));
  const started: StatusNode[] = [];
  const stop = async () => {
    await Promise.all(started.map((node) => node.stop()));
    await archive.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    // The bootnode serves discovery only: no fleet of its own to search (`discovery: false`).
    const boot = castNode(cast, 'boot', 'bootstrap', { bootstrap: true, discovery: false });
    started.push(boot);
    await boot.start();
    const bootnode = boot.bootnode!;
    const fleet = defineFleet({ name: 'local', bootnodes: [bootnode.enr], rendezvous: bootnode.rendezvous });
    say(`boot: discv5 ${bootnode.enr.slice(0, 28)}…, rendezvous ${bootnode.rendezvous[0]}`);
    say(`fleet "local": 1 bootnode, ${fleet.rendezvous.length} rendezvous server (instead of eth.prod)`);

    const discovery = { fleet, timing: QUICK_SEARCH };
    const services = [
      ...['relayer-1', 'relayer-2'].map((label) => ({
        label,
        node: castNode(cast, label, 'relayer', { role: 'relayer', discovery }),
      })),
      {
        label: 'mailserver',
        node: castNode(cast, 'mailserver', 'mailserver', {
          role: 'relayer',
          mailserver: { store: archive },
          discovery,
        }),
      },
    ];
    started.push(...services.map((s) => s.node));
    const fills = await Promise.all(
      services.map(({ label, node }) => startWatched(node, label, cast, { start: 'cold', timeoutMs })),
    );
    const relayers = services.slice(0, 2).map((s) => s.node);
    const mailserver = services[2]!.node;
    // People trust the mailserver the fleet lists, as Status clients do (a discovered node that only claims
    // the role is not used by default), so the fleet they get names it once it listens.
    const peopleFleet = defineFleet({ ...fleet, mailservers: [mailserver.enode!] });
    return { dataDir, fleet: peopleFleet, boot, relayers, mailserver, fills, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
