import { type Clock, type Logger, numberToBytes } from '@status-ts/core';
import type { Server } from '@status-ts/devp2p';
import { Discv5Node } from '@status-ts/discv5';
import { createUdpTransport } from '@status-ts/discv5/udp';
import { DnsPeerSource } from '@status-ts/dns-discovery';
import { Enr, type PeerSource, roleEntries } from '@status-ts/enr';
import { mailserverProbe } from '@status-ts/mailserver';
import { MemoryPeerCache, PeerPool, serverDialer } from '@status-ts/peerpool';
import type { WakuNode } from '@status-ts/waku';
import { ETH_PROD_FLEET } from './eth-prod.js';
import type { Fleet } from './fleet.js';
import {
  type BootstrapOptions,
  type DiscoveryOptions,
  defaultTopicLimits,
  MAILSERVER_TOPIC,
  RELAYER_TOPIC,
} from './options.js';
import { type RendezvousParts, startRendezvousClient, startRendezvousServer } from './rendezvous.js';

/** What discovery needs from the node it serves. */
export interface NodeDiscoveryParts {
  readonly server: Server;
  readonly waku: WakuNode;
  /** The node key: discv5 and the registered record are signed with it. */
  readonly nodeKey: Uint8Array;
  /** The RLPx listen host (discv5 binds UDP there too). */
  readonly host: string;
  readonly clock: Clock;
  readonly mobile: boolean;
  /** The node runs the mailserver role: it registers as one and wants no mailserver itself. */
  readonly mailserver: boolean;
  /** `false`: no PeerPool (static peers only), though a bootstrap node still answers discovery. */
  readonly options: DiscoveryOptions | false;
  readonly bootstrap: BootstrapOptions | undefined;
  /** Where discovery logs (each part under its own name); default core's `status-ts:*` loggers. */
  readonly logger?: Logger;
  /** A part that failed without stopping the node (a missing libp2p stack, an unreachable server…). */
  readonly onError: (part: string, error: unknown) => void;
  /** The PeerPool selected another mailserver (by round trip), or lost it (undefined). */
  readonly onMailserver: (id: string | undefined) => void;
}

/** Where others find a bootstrap node: its discv5 record and its rendezvous server's addresses. */
export interface BootnodeInfo {
  readonly enr: string;
  readonly rendezvous: readonly string[];
}

const WAKU_CAPABILITY = [{ name: 'waku', version: 1 }] as const;

/**
 * A node's discovery: discv5, rendezvous (client, registrar, and a server on a bootstrap node) and DNS trees
 * feeding one PeerPool that dials through the node's RLPx server and picks its mailserver by round trip.
 */
export class NodeDiscovery {
  #pool: PeerPool | undefined;
  #discv5: Discv5Node | undefined;
  #rendezvous: RendezvousParts | undefined;
  #rendezvousServer: { addresses: string[]; stop(): Promise<void> } | undefined;
  readonly #parts: NodeDiscoveryParts;

  constructor(parts: NodeDiscoveryParts) {
    this.#parts = parts;
  }

  /** The PeerPool, while discovery runs (its events: `peer:added`, `mailserver:changed`…). */
  get pool(): PeerPool | undefined {
    return this.#pool;
  }

  /** The discv5 node, while it runs. */
  get discv5(): Discv5Node | undefined {
    return this.#discv5;
  }

  /** On a bootstrap node: what a fleet lists to join through it. */
  get bootnode(): BootnodeInfo | undefined {
    if (!this.#parts.bootstrap || !this.#discv5) return undefined;
    return { enr: this.#discv5.localEnr.encodeText(), rendezvous: this.#rendezvousServer?.addresses ?? [] };
  }

  async start(signal?: AbortSignal): Promise<void> {
    const { options, bootstrap } = this.#parts;
    if (options === false && !bootstrap) return;
    const discovery = options === false ? {} : options;
    const fleet = options === false ? undefined : (discovery.fleet ?? ETH_PROD_FLEET);
    try {
      await this.#startDiscv5(discovery, fleet);
      signal?.throwIfAborted();
      if (bootstrap && bootstrap.rendezvous !== false) await this.#startRendezvousServer(bootstrap);
      if (!fleet) return;
      const sources = [...(discovery.sources ?? [])];
      if (this.#discv5) sources.push(this.#discv5.source());
      if (discovery.rendezvous !== false && fleet.rendezvous.length > 0) {
        const rendezvous = await this.#startRendezvousClient(fleet);
        if (rendezvous) sources.push(rendezvous.source);
      }
      const dns = this.#dnsSource(discovery, fleet);
      if (dns) sources.push(dns);
      signal?.throwIfAborted();
      await this.#startPool(discovery, fleet, sources);
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  async stop(): Promise<void> {
    const pool = this.#pool;
    const rendezvous = this.#rendezvous;
    const server = this.#rendezvousServer;
    const discv5 = this.#discv5;
    this.#pool = undefined;
    this.#rendezvous = undefined;
    this.#rendezvousServer = undefined;
    this.#discv5 = undefined;
    await pool?.stop();
    await rendezvous?.stop();
    await server?.stop();
    await discv5?.stop();
  }

  /** `{ logger }` for a part, under its own name, when the node was given a logger. */
  #logAs(part: string): { logger?: Logger } {
    return this.#parts.logger ? { logger: this.#parts.logger.extend(part) } : {};
  }

  /** Topics this node registers under (CLI-04, CLI-05): none for a mobile node. */
  #roles(): string[] {
    if (this.#parts.mobile) return [];
    return this.#parts.mailserver ? [RELAYER_TOPIC, MAILSERVER_TOPIC] : [RELAYER_TOPIC];
  }

  async #startDiscv5(discovery: DiscoveryOptions, fleet: Fleet | undefined): Promise<void> {
    const { bootstrap, host, nodeKey, clock, mobile, server } = this.#parts;
    if (!bootstrap && (discovery.discv5 === false || !fleet)) return;
    const port =
      bootstrap?.discv5Port ??
      (typeof discovery.discv5 === 'object' ? discovery.discv5.port : undefined) ??
      0;
    const roles = this.#roles();
    const tcp = server.address?.port;
    this.#discv5 = new Discv5Node({
      privateKey: nodeKey,
      transport: () => createUdpTransport({ ip: host, port }),
      bootstrap: fleet?.bootnodes ?? [],
      clock,
      // A mobile node walks only while its PeerPool searches (DV5-09); the others keep their table fresh.
      autoRefresh: !mobile || bootstrap !== undefined,
      ...(roles.length > 0 ? { roles, capabilities: [...WAKU_CAPABILITY] } : {}),
      ...this.#logAs('discv5'),
      ...(tcp === undefined ? {} : { entries: { tcp: numberToBytes(tcp) } }),
    });
    await this.#discv5.start();
  }

  async #startRendezvousServer(bootstrap: BootstrapOptions): Promise<void> {
    const settings = typeof bootstrap.rendezvous === 'object' ? bootstrap.rendezvous : {};
    try {
      this.#rendezvousServer = await startRendezvousServer(this.#parts.host, settings);
    } catch (error) {
      this.#parts.onError('rendezvous server', error);
    }
  }

  async #startRendezvousClient(fleet: Fleet): Promise<RendezvousParts | undefined> {
    const roles = this.#roles();
    try {
      this.#rendezvous = await startRendezvousClient({
        servers: fleet.rendezvous,
        clock: this.#parts.clock,
        ...(roles.length > 0 ? { registration: { record: this.#record(roles), topics: roles } } : {}),
        nodeKey: this.#parts.nodeKey,
        ...(this.#parts.logger ? { logger: this.#parts.logger.extend('rendezvous') } : {}),
      });
      return this.#rendezvous;
    } catch (error) {
      this.#parts.onError('rendezvous', error);
      return undefined;
    }
  }

  /**
   * The record registered at rendezvous: discv5's when it runs (one seq for both), else a new one. On a
   * wildcard listen host the address is a placeholder the registrar replaces with what the server sees.
   */
  #record(roles: string[]): Enr {
    if (this.#discv5) return this.#discv5.localEnr;
    const { host, nodeKey, server } = this.#parts;
    return Enr.create({
      privateKey: nodeKey,
      ip: host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host,
      ...(server.address ? { tcp: server.address.port } : {}),
      entries: roleEntries({ roles, capabilities: [...WAKU_CAPABILITY] }),
    });
  }

  #dnsSource(discovery: DiscoveryOptions, fleet: Fleet): PeerSource | undefined {
    const trees = Object.values(fleet.dnsTrees).flat();
    if (discovery.dns === false || trees.length === 0) return undefined;
    const resolver = typeof discovery.dns === 'object' ? discovery.dns.resolver : undefined;
    return new DnsPeerSource({
      trees: fleet.dnsTrees,
      clock: this.#parts.clock,
      ...(resolver ? { resolver } : {}),
    });
  }

  async #startPool(discovery: DiscoveryOptions, fleet: Fleet, sources: PeerSource[]): Promise<void> {
    const { server, waku, clock, mobile, mailserver } = this.#parts;
    const pool = new PeerPool({
      dialer: serverDialer(server),
      sources,
      topics: discovery.topics ?? defaultTopicLimits({ mobile, mailserver }),
      cache: discovery.cache ?? new MemoryPeerCache(),
      staticPeers: fleet.staticNodes,
      ...(fleet.mailservers.length > 0 ? { mailservers: fleet.mailservers } : {}),
      ...(discovery.useDiscoveredMailservers !== undefined
        ? { useDiscoveredMailservers: discovery.useDiscoveredMailservers }
        : {}),
      mailserverProbe: mailserverProbe({ node: waku }),
      selfId: server.id,
      clock,
      ...(discovery.timing ? { timing: discovery.timing } : {}),
      ...this.#logAs('peerpool'),
    });
    pool.on('mailserver:changed', (selected) => this.#parts.onMailserver(selected?.id));
    this.#pool = pool;
    await pool.start();
  }
}
