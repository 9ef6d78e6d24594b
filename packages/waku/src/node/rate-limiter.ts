import { bytesToHex, type Clock } from '@status-ts/core';
import {
  DEFAULT_BYTES_LIMIT_PER_IP,
  DEFAULT_BYTES_LIMIT_PER_PEER,
  DEFAULT_PACKET_LIMIT_PER_IP,
  DEFAULT_PACKET_LIMIT_PER_PEER,
  DEFAULT_RATE_LIMIT_TOLERANCE,
  DEFAULT_RATE_LIMIT_WINDOW_MS,
} from '../constants.js';
import type { RateLimits } from '../wire/rate-limits.js';
import { TokenBucket } from './token-bucket.js';

/** Incoming rate limits (WAKU-17). Limits are per second; 0 disables one. */
export interface RateLimitOptions {
  packetsPerIp?: number;
  packetsPerPeer?: number;
  bytesPerIp?: number;
  bytesPerPeer?: number;
  /** Addresses never limited (compared with the stream's `remoteAddress`). */
  whitelistedIps?: readonly string[];
  /** Node ids (64 bytes or hex) never limited. */
  whitelistedPeerIds?: readonly (Uint8Array | string)[];
  /** Rate-limited packets tolerated within `toleranceWindowMs` before the peer is dropped. */
  tolerance?: number;
  toleranceWindowMs?: number;
}

export type RateVerdict = 'ok' | 'limited' | 'disconnect';

interface Buckets {
  packets: TokenBucket;
  bytes: TokenBucket;
  peers: number;
}

interface Strikes {
  count: number;
  windowStart: number;
}

/**
 * Per-IP and per-peer token buckets for packets and bytes, as status-go's PeerRateLimiter keeps them. Unlike
 * status-go, an envelope packet over the limit is dropped unread (status-go still processes it; control
 * packets are read here too); a peer that keeps exceeding (`tolerance` times within a window) is
 * disconnected.
 */
export class RateLimiter {
  readonly #clock: Clock;
  readonly #packetsPerIp: number;
  readonly #packetsPerPeer: number;
  readonly #bytesPerIp: number;
  readonly #bytesPerPeer: number;
  readonly #tolerance: number;
  readonly #window: number;
  readonly #ipWhitelist: Set<string>;
  readonly #peerWhitelist: Set<string>;
  readonly #byIp = new Map<string, Buckets>();
  readonly #byPeer = new Map<string, Buckets>();
  readonly #strikes = new Map<string, Strikes>();

  constructor(options: RateLimitOptions, clock: Clock) {
    this.#clock = clock;
    this.#packetsPerIp = options.packetsPerIp ?? DEFAULT_PACKET_LIMIT_PER_IP;
    this.#packetsPerPeer = options.packetsPerPeer ?? DEFAULT_PACKET_LIMIT_PER_PEER;
    this.#bytesPerIp = options.bytesPerIp ?? DEFAULT_BYTES_LIMIT_PER_IP;
    this.#bytesPerPeer = options.bytesPerPeer ?? DEFAULT_BYTES_LIMIT_PER_PEER;
    this.#tolerance = options.tolerance ?? DEFAULT_RATE_LIMIT_TOLERANCE;
    this.#window = options.toleranceWindowMs ?? DEFAULT_RATE_LIMIT_WINDOW_MS;
    this.#ipWhitelist = new Set(options.whitelistedIps ?? []);
    this.#peerWhitelist = new Set(
      (options.whitelistedPeerIds ?? []).map((id) =>
        typeof id === 'string' ? id.toLowerCase() : bytesToHex(id),
      ),
    );
  }

  /** What we advertise in Status keys 4 and 6: `[ip, peerId, topic]` per second (topic limits are not enforced). */
  get packetLimits(): RateLimits {
    return { ip: this.#packetsPerIp, peerId: this.#packetsPerPeer, topic: 0 };
  }

  get bytesLimits(): RateLimits {
    return { ip: this.#bytesPerIp, peerId: this.#bytesPerPeer, topic: 0 };
  }

  /** Registers a peer (and its address) so its buckets exist for its lifetime. */
  add(peerIdHex: string, ip: string | undefined): void {
    const now = this.#clock.now();
    if (!this.#byPeer.has(peerIdHex)) {
      this.#byPeer.set(peerIdHex, {
        packets: new TokenBucket(this.#packetsPerPeer, now),
        bytes: new TokenBucket(this.#bytesPerPeer, now),
        peers: 1,
      });
    } else {
      this.#byPeer.get(peerIdHex)!.peers++;
    }
    if (ip !== undefined) {
      const buckets = this.#byIp.get(ip);
      if (buckets) buckets.peers++;
      else {
        this.#byIp.set(ip, {
          packets: new TokenBucket(this.#packetsPerIp, now),
          bytes: new TokenBucket(this.#bytesPerIp, now),
          peers: 1,
        });
      }
    }
  }

  /** Forgets a peer; an address's buckets go with its last peer. */
  remove(peerIdHex: string, ip: string | undefined): void {
    const peer = this.#byPeer.get(peerIdHex);
    if (peer && --peer.peers <= 0) {
      this.#byPeer.delete(peerIdHex);
      this.#strikes.delete(peerIdHex);
    }
    if (ip !== undefined) {
      const buckets = this.#byIp.get(ip);
      if (buckets && --buckets.peers <= 0) this.#byIp.delete(ip);
    }
  }

  /** Charges one packet of `size` bytes and says whether to process it, drop it, or drop the peer. */
  check(peerIdHex: string, ip: string | undefined, size: number): RateVerdict {
    const now = this.#clock.now();
    let limited = false;
    if (ip !== undefined && !this.#ipWhitelist.has(ip)) {
      const b = this.#byIp.get(ip);
      if (b) {
        const okPackets = b.packets.take(1, now);
        const okBytes = takeBytes(b.bytes, size, now);
        if (!okPackets || !okBytes) limited = true;
      }
    }
    if (!this.#peerWhitelist.has(peerIdHex)) {
      const b = this.#byPeer.get(peerIdHex);
      if (b) {
        const okPackets = b.packets.take(1, now);
        const okBytes = takeBytes(b.bytes, size, now);
        if (!okPackets || !okBytes) limited = true;
      }
    }
    if (!limited) return 'ok';
    const strikes = this.#strikes.get(peerIdHex);
    if (!strikes || now - strikes.windowStart > this.#window) {
      this.#strikes.set(peerIdHex, { count: 1, windowStart: now });
      return 1 >= this.#tolerance && this.#tolerance > 0 ? 'disconnect' : 'limited';
    }
    strikes.count++;
    return this.#tolerance > 0 && strikes.count >= this.#tolerance ? 'disconnect' : 'limited';
  }
}

/** Bytes are taken when available; a packet bigger than a whole second's budget passes when the bucket is full. */
function takeBytes(bucket: TokenBucket, size: number, now: number): boolean {
  if (bucket.take(size, now)) return true;
  if (size > bucket.ratePerSecond && bucket.full(now)) {
    bucket.charge(size, now);
    return true;
  }
  return false;
}
