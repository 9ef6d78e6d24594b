/** A UDP address: IPv4 dotted or IPv6 text, and a port. */
export interface UdpEndpoint {
  readonly ip: string;
  readonly port: number;
}

export type PacketHandler = (bytes: Uint8Array, from: UdpEndpoint) => void;

/**
 * What discv5 needs from the network: send a datagram, receive datagrams, close. Implemented over
 * node:dgram (`createUdpTransport` from `@status-ts/discv5/udp`) and over an in-memory network
 * (`MemoryNetwork`) for tests that drive time with a ManualClock.
 */
export interface PacketTransport {
  /** The bound address (the actual port when 0 was asked for). */
  readonly localEndpoint: UdpEndpoint;
  /** Sends one datagram; delivery is not guaranteed and failures are not reported (UDP). */
  send(bytes: Uint8Array, to: UdpEndpoint): void;
  /** Sets the receiver (one per transport; a later call replaces it). */
  onPacket(handler: PacketHandler): void;
  /** Releases the socket; no packet is delivered afterwards. */
  close(): Promise<void>;
}

/** Opens a fresh transport; a node given one opens a transport at each `start()`. */
export type PacketTransportFactory = () => Promise<PacketTransport>;

/** `ip:port` (IPv6 in brackets), for map keys and logs. */
export function endpointKey(endpoint: UdpEndpoint): string {
  return endpoint.ip.includes(':') ? `[${endpoint.ip}]:${endpoint.port}` : `${endpoint.ip}:${endpoint.port}`;
}

export function sameEndpoint(a: UdpEndpoint, b: UdpEndpoint): boolean {
  return a.port === b.port && a.ip === b.ip;
}
