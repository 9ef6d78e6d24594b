import type { Clock, Logger } from '@status-ts/core';
import type { Enr, RlpItem, RoleAdvertisement } from '@status-ts/enr';
import type { RequestMessage } from '../messages.js';
import type { RoutingTable } from '../table/routing-table.js';
import type { PacketTransport, PacketTransportFactory, UdpEndpoint } from '../transport/types.js';
import type { Discv5Limits } from './limits.js';
import type { TargetInput } from './targets.js';

export interface Discv5NodeOptions extends RoleAdvertisement {
  /** The node's secp256k1 key: a bootstrap node keeps it (and its port) stable. */
  privateKey: Uint8Array;
  /**
   * Where packets go: a transport (the node closes it on stop, so it runs once), or a function opening one at
   * each `start()`, e.g. `() => createUdpTransport({ ip, port })` from `@status-ts/discv5/udp`.
   */
  transport: PacketTransport | PacketTransportFactory;
  /** Address advertised in the ENR; default the bound address when it is not a wildcard. */
  enrIp?: string;
  /** UDP port advertised in the ENR; default the bound port. */
  enrUdp?: number;
  /** A previously saved own record (same key), so seq keeps increasing across restarts. */
  record?: Enr | string;
  /** Extra ENR entries (roles and capabilities have their own options). */
  entries?: Record<string, RlpItem>;
  /** Nodes to join through: Enr objects, `enr:` text, or `enode://` URLs with the UDP port. */
  bootstrap?: ReadonlyArray<TargetInput>;
  clock?: Clock;
  limits?: Partial<Discv5Limits>;
  /** Self-lookup at start, periodic refresh lookups and liveness checks (default true). */
  autoRefresh?: boolean;
  /** Update the own record's ip/udp from endpoint votes in PONGs (default true). */
  enrAutoUpdate?: boolean;
  /** Non-cryptographic choices (which node to revalidate); default Math.random. */
  random?: () => number;
  /** Where this node logs (default the `status-ts:discv5:<id>` logger, enabled by `DEBUG`). */
  logger?: Logger;
}

export interface SessionInfo {
  nodeId: string;
  endpoint: UdpEndpoint;
  /** True when we sent the handshake. */
  initiator: boolean;
}

export interface Discv5Events {
  /** A node entered the routing table. */
  'enr:added': [enr: Enr];
  /** A node left the routing table (failed liveness checks). */
  'enr:removed': [enr: Enr];
  /** A newer record of a known node replaced the stored one. */
  'enr:updated': [enr: Enr];
  /** A valid record was learned (NODES answer or handshake), whether or not the table kept it. */
  'enr:discovered': [enr: Enr];
  'session:established': [session: SessionInfo];
  /** The own record changed (endpoint votes, `updateEnr`); seq went up. */
  'local-enr:updated': [enr: Enr];
  /** A request arrived over a session (before it is answered). */
  request: [message: RequestMessage, from: { nodeId: string; endpoint: UdpEndpoint }];
}

export interface PongResult {
  /** The responder's record seq. */
  enrSeq: bigint;
  /** Our address as the responder saw it. */
  ip: string;
  port: number;
}

export interface TalkRequestInfo {
  nodeId: string;
  endpoint: UdpEndpoint;
  record: Enr | undefined;
}

/** Answers a TALKREQ for one protocol; throwing or rejecting answers with an empty response. */
export type TalkHandler = (request: Uint8Array, from: TalkRequestInfo) => Uint8Array | Promise<Uint8Array>;

/** Read-only view of the routing table. */
export type RoutingTableView = Pick<
  RoutingTable,
  'size' | 'get' | 'bucket' | 'replacements' | 'entries' | 'closest' | 'nonEmptyDistances'
>;
