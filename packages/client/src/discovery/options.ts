import type { Resolver } from '@status-ts/dns-discovery';
import type { PeerSource } from '@status-ts/enr';
import type { PeerCache, PeerPoolTiming, TopicLimits } from '@status-ts/peerpool';
import type { RegistrationStore } from '@status-ts/rendezvous';
import type { Fleet } from './fleet.js';

/** How a node finds peers (`createStatusNode({ discovery })`); every part can be turned off or replaced. */
export interface DiscoveryOptions {
  /** Bootnodes, rendezvous servers, static nodes, mailservers and DNS trees (default `ETH_PROD_FLEET`). */
  readonly fleet?: Fleet;
  /**
   * Discv5 on UDP at the listen host (default on; port 0 = any). Mobile nodes walk only while the PeerPool
   * searches; relayers and mailservers also answer and advertise their roles in their record.
   */
  readonly discv5?: boolean | { readonly port?: number };
  /**
   * Rendezvous with the fleet's servers (default on when it lists any): relayers and mailservers register,
   * everyone discovers. Needs the libp2p stack (see `@status-ts/rendezvous`); without it the node runs on
   * and reports `discovery:error`.
   */
  readonly rendezvous?: boolean;
  /** Walk the fleet's EIP-1459 trees (default on when it has any); `resolver` replaces the system DNS. */
  readonly dns?: boolean | { readonly resolver?: Resolver };
  /** Your own sources (any `PeerSource`), mixed fairly with the others. */
  readonly sources?: readonly PeerSource[];
  /**
   * Peers that worked, dialed first on the next start (default in memory; `openPeerPoolSqliteStore(db)`
   * from `@status-ts/peerpool/sqlite` keeps them in the node's SQLite file).
   */
  readonly cache?: PeerCache;
  /** Peers to keep per topic (default by role: see `defaultTopicLimits`). */
  readonly topics?: Readonly<Record<string, TopicLimits>>;
  /** PeerPool timing overrides (search periods, backoff, discovery time-box). */
  readonly timing?: Partial<PeerPoolTiming>;
  /**
   * Use a discovered node that claims the mailserver role (default false, as status-go: the mailserver comes
   * from the fleet's list or the peer cache only, since a role in a record is only a claim). Turn it on for a
   * network whose discovery you trust, such as a local one without a mailserver list.
   */
  readonly useDiscoveredMailservers?: boolean;
}

/**
 * The bootstrap role (CLI-03): a long-lived discv5 node on a known UDP port that answers discovery, and a
 * rendezvous server, besides relaying Waku like any relayer.
 */
export interface BootstrapOptions {
  /** UDP port of discv5 (default: any; give one so the bootnode's address stays the same). */
  readonly discv5Port?: number;
  /** Host a rendezvous server (default true; needs the libp2p stack). */
  readonly rendezvous?:
    | boolean
    | { readonly port?: number; readonly store?: RegistrationStore; readonly privateKey?: Uint8Array };
}

/** Topics (PeerPool names) under which a node of each kind registers and is found. */
export const RELAYER_TOPIC = 'whisper';
export const MAILSERVER_TOPIC = 'whispermail';

/**
 * Peers a node keeps (CLI-06): a mobile node 2–3 relayers and 1 mailserver; a relayer a few more relayers;
 * a mailserver no mailserver of its own.
 */
export function defaultTopicLimits(kind: {
  mobile: boolean;
  mailserver: boolean;
}): Record<string, TopicLimits> {
  const relayers = kind.mobile ? { min: 2, max: 3 } : { min: 2, max: 6 };
  return kind.mailserver
    ? { [RELAYER_TOPIC]: relayers }
    : { [RELAYER_TOPIC]: relayers, [MAILSERVER_TOPIC]: { min: 1, max: 1 } };
}
