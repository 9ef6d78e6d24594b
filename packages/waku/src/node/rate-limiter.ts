import { bytesToHex, type Clock } from '@status-ts/core';
import {
  DEFAULT_BYTES_LIMIT_PER_IP,
  DEFAULT_BYTES_LIMIT_PER_PEER,
  DEFAULT_ENVELOPE_LIMIT_PER_IP,
  DEFAULT_ENVELOPE_LIMIT_PER_PEER,
  DEFAULT_PACKET_LIMIT_PER_IP,
  DEFAULT_PACKET_LIMIT_PER_PEER,
  DEFAULT_RATE_LIMIT_TOLERANCE,
  DEFAULT_RATE_LIMIT_WINDOW_MS,
} from '../constants.js';
import { WakuError, WakuErrorCode } from '../errors.js';
import type { RateLimits } from '../wire/rate-limits.js';
import { TokenBucket } from './token-bucket.js';

/** Incoming rate limits (WAKU-17). Limits are per second; 0 disables one. */
export interface RateLimitOptions {
  packetsPerIp?: number;
  packetsPerPeer?: number;
  bytesPerIp?: number;
  bytesPerPeer?: number;
  /**
   * Envelopes per second in Messages packets (default 2000 per IP, 1000 per peer): the envelopes of a packet
   * beyond them are dropped, and the peer gets a strike as for a rate-limited packet. Not advertised (the
   * Status options have no key for it).
   */
  envelopesPerIp?: number;
  envelopesPerPeer?: number;
  /** Addresses never limited (compared with the stream's `remoteAddress`). */
  whitelistedIps?: readonly string[];
  /** Node ids (64 bytes or hex) never limited. */
  whitelistedPeerIds?: readonly (Uint8Array | string)[];
  /** Rate-limited packets tolerated within `toleranceWindowMs` before the peer is dropped. */
  tolerance?: number;
  toleranceWindowMs?: number;
}

export type RateVerdict = 'ok' | 'limited' | 'disconnect';

/** How many envelopes of a packet may be read, and what to do with the peer. */
export interface EnvelopeQuota {
  allowed: number;
  verdict: RateVerdict;
}

interface Buckets {
  packets: TokenBucket;
  bytes: TokenBucket;
  envelopes: TokenBucket;
  peers: number;
}

const RATE_KEYS = [
  'packetsPerIp',
  'packetsPerPeer',
  'bytesPerIp',
  'bytesPerPeer',
  'envelopesPerIp',
  'envelopesPerPeer',
  'toleranceWindowMs',
] as const;

/** Limits are finite numbers >= 0 (0 = off); the tolerance counts packets, so an integer. */
function validate(options: RateLimitOptions): void {
  for (const key of RATE_KEYS) {
    const v = options[key];
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) {
      throw new WakuError(
        WakuErrorCode.InvalidOptions,
        `rateLimits.${key} must be a finite number >= 0, got ${v}`,
      );
    }
  }
  const t = options.tolerance;
  if (t !== undefined && !(Number.isSafeInteger(t) && t >= 0)) {
    throw new WakuError(
      WakuErrorCode.InvalidOptions,
      `rateLimits.tolerance must be an integer >= 0, got ${t}`,
    );
  }
}

interface Strikes {
  count: number;
  windowStart: number;
}

/**
 * Per-IP and per-peer token buckets for packets and bytes, as status-go's PeerRateLimiter keeps them, and for
 * envelopes (which status-go does not count). Unlike status-go, an envelope packet over the limit is dropped
 * unread (status-go still processes it; control packets are read here too); a peer that keeps exceeding
 * (`tolerance` times within a window) is disconnected.
 */
export class RateLimiter {
  readonly #clock: Clock;
  readonly #packetsPerIp: number;
  readonly #packetsPerPeer: number;
  readonly #bytesPerIp: number;
  readonly #bytesPerPeer: number;
  readonly #envelopesPerIp: number;
  readonly #envelopesPerPeer: number;
  readonly #tolerance: number;
  readonly #window: number;
  readonly #ipWhitelist: Set<string>;
  readonly #peerWhitelist: Set<string>;
  readonly #byIp = new Map<string, Buckets>();
  readonly #byPeer = new Map<string, Buckets>();
  readonly #strikes = new Map<string, Strikes>();

  constructor(options: RateLimitOptions, clock: Clock) {
    validate(options);
    this.#clock = clock;
    this.#packetsPerIp = options.packetsPerIp ?? DEFAULT_PACKET_LIMIT_PER_IP;
    this.#packetsPerPeer = options.packetsPerPeer ?? DEFAULT_PACKET_LIMIT_PER_PEER;
    this.#bytesPerIp = options.bytesPerIp ?? DEFAULT_BYTES_LIMIT_PER_IP;
    this.#bytesPerPeer = options.bytesPerPeer ?? DEFAULT_BYTES_LIMIT_PER_PEER;
    this.#envelopesPerIp = options.envelopesPerIp ?? DEFAULT_ENVELOPE_LIMIT_PER_IP;
    this.#envelopesPerPeer = options.envelopesPerPeer ?? DEFAULT_ENVELOPE_LIMIT_PER_PEER;
    this.#tolerance = options.tolerance ?? DEFAULT_RATE_LIMIT_TOLERANCE;
    this.#window = options.toleranceWindowMs ?? DEFAULT_RATE_LIMIT_WINDOW_MS;
    this.#ipWhitelist = new Set(options.whitelistedIps);
    this.#peerWhitelist = new Set(
      options.whitelistedPeerIds?.map((id) => (typeof id === 'string' ? id.toLowerCase() : bytesToHex(id))),
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
        envelopes: new TokenBucket(this.#envelopesPerPeer, now),
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
          envelopes: new TokenBucket(this.#envelopesPerIp, now),
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
    return limited ? this.#strike(peerIdHex, now) : 'ok';
  }

  /**
   * Charges the `count` envelopes of a Messages packet: the first `allowed` may be read, the rest are over the
   * per-IP or per-peer envelope rate, which costs the peer a strike (shared with rate-limited packets).
   */
  takeEnvelopes(peerIdHex: string, ip: string | undefined, count: number): EnvelopeQuota {
    const now = this.#clock.now();
    const buckets: TokenBucket[] = [];
    if (ip !== undefined && !this.#ipWhitelist.has(ip)) {
      const b = this.#byIp.get(ip);
      if (b) buckets.push(b.envelopes);
    }
    if (!this.#peerWhitelist.has(peerIdHex)) {
      const b = this.#byPeer.get(peerIdHex);
      if (b) buckets.push(b.envelopes);
    }
    // An unlimited bucket has Infinity available and ignores charges: it never lowers `allowed`.
    let allowed = count;
    for (const b of buckets) allowed = Math.min(allowed, Math.max(0, Math.floor(b.available(now))));
    for (const b of buckets) b.charge(allowed, now);
    return { allowed, verdict: allowed < count ? this.#strike(peerIdHex, now) : 'ok' };
  }

  /** One more excess within the tolerance window: 'disconnect' once there were `tolerance` of them. */
  #strike(peerIdHex: string, now: number): RateVerdict {
    const strikes = this.#strikes.get(peerIdHex);
    if (!strikes || now - strikes.windowStart > this.#window) {
      this.#strikes.set(peerIdHex, { count: 1, windowStart: now });
      return 1 >= this.#tolerance && this.#tolerance > 0 ? 'disconnect' : 'limited';
    }
    strikes.count++;
    return this.#tolerance > 0 && strikes.count >= this.#tolerance ? 'disconnect' : 'limited';
  }
}

/**
 * Bytes are taken when available; a packet bigger than a whole second's budget passes when the bucket is full
 * (a full bucket that could not pay means exactly that: the packet is bigger than the rate).
 */
function takeBytes(bucket: TokenBucket, size: number, now: number): boolean {
  if (bucket.take(size, now)) return true;
  if (bucket.full(now)) {
    bucket.charge(size, now);
    return true;
  }
  return false;
}
