import type { Clock } from '@status-ts/core';
import { parseIPv4, parseIPv6 } from '@status-ts/enr';
import { DEFAULT_INBOUND_THROTTLE_MS, DEFAULT_MAX_PENDING_PER_IP } from './constants.js';
import { Devp2pError, Devp2pErrorCode } from './errors.js';

/** Per-source-address limits on inbound connections (Server options). */
export interface InboundLimits {
  /** Handshakes one address (IPv6: one /64) may hold at once, default 3. */
  maxPendingPerIp: number;
  /** One accepted inbound connection per address per window, default 30 s; 0 turns the throttle off. */
  inboundThrottleMs: number;
  /**
   * Apply both limits to LAN addresses too (loopback, private, link-local), default false: like
   * go-ethereum's throttle, local networks of many nodes on one host, and hosts behind a proxy or Docker's
   * port forwarding (every peer then comes from one address), are left alone.
   */
  perIpLimitsOnLan: boolean;
}

function invalid(option: string, value: unknown, expected: string): Devp2pError {
  return new Devp2pError(
    Devp2pErrorCode.InvalidOptions,
    `${option} must be ${expected}, got ${String(value)}`,
    {
      details: { option, value },
    },
  );
}

/** Defaults with `options` applied; a bad value throws ERR_P2P_INVALID_OPTIONS. */
export function resolveInboundLimits(options: Partial<InboundLimits> = {}): InboundLimits {
  const { maxPendingPerIp = DEFAULT_MAX_PENDING_PER_IP, inboundThrottleMs = DEFAULT_INBOUND_THROTTLE_MS } =
    options;
  const perIpLimitsOnLan = options.perIpLimitsOnLan ?? false;
  if (!Number.isInteger(maxPendingPerIp) || maxPendingPerIp < 1) {
    throw invalid('maxPendingPerIp', maxPendingPerIp, 'an integer >= 1');
  }
  // Number.isFinite is false for anything that is not a number, so it also refuses '5' or null.
  if (!Number.isFinite(inboundThrottleMs) || inboundThrottleMs < 0) {
    throw invalid('inboundThrottleMs', inboundThrottleMs, 'a finite number of ms >= 0');
  }
  if (typeof perIpLimitsOnLan !== 'boolean') throw invalid('perIpLimitsOnLan', perIpLimitsOnLan, 'a boolean');
  return { maxPendingPerIp, inboundThrottleMs, perIpLimitsOnLan };
}

/** The address bytes: 4 for IPv4 (also when written IPv4-mapped, as dual-stack sockets report it), else 16. */
function addressBytes(address: string): Uint8Array | undefined {
  const plain = address.replace(/%.*/, ''); // an IPv6 zone id names the interface, not the host
  const v4 = parseIPv4(plain);
  if (v4) return v4;
  const v6 = parseIPv6(plain);
  if (!v6) return undefined;
  const mapped = v6.subarray(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff;
  return mapped ? v6.subarray(12) : v6;
}

function isLanBytes(ip: Uint8Array): boolean {
  const [a = 0, b = 0] = ip;
  if (ip.length === 4) {
    return (
      a === 127 ||
      a === 10 ||
      (a === 172 && (b & 0xf0) === 16) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254)
    );
  }
  const loopback = ip.subarray(0, 15).every((x) => x === 0) && ip[15] === 1;
  return loopback || (a & 0xfe) === 0xfc || (a === 0xfe && (b & 0xc0) === 0x80);
}

/** Loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7) or link-local: go-ethereum's AddrIsLAN. */
export function isLanAddress(address: string): boolean {
  const ip = addressBytes(address);
  return ip !== undefined && isLanBytes(ip);
}

/**
 * What per-address limits count `address` under, or undefined when it is exempt (a LAN address unless
 * `includeLan`, or no address at all: the socket is already gone). IPv6 counts by its /64: one host usually
 * holds a whole /64, and counting single addresses would give it 2^64 shares.
 */
export function inboundAddressKey(address: string | undefined, includeLan: boolean): string | undefined {
  if (!address) return undefined;
  const ip = addressBytes(address);
  if (!ip) return address;
  if (!includeLan && isLanBytes(ip)) return undefined;
  if (ip.length === 4) return ip.join('.');
  let prefix = '';
  for (let i = 0; i < 8; i += 2) prefix += `${((ip[i]! << 8) | ip[i + 1]!).toString(16)}:`;
  return `${prefix}:/64`;
}

/** Why an inbound connection is refused by the per-address limits. */
export type InboundRefusal = 'throttled' | 'pendingPerIp';

/** Per-address bookkeeping of inbound connections: handshakes in progress and the throttle window. */
export class InboundGate {
  readonly #limits: InboundLimits;
  readonly #clock: Clock;
  readonly #pending = new Map<string, number>();
  /** Key -> end of its throttle window; the window is fixed, so insertion order is expiry order. */
  readonly #history = new Map<string, number>();

  constructor(limits: InboundLimits, clock: Clock) {
    this.#limits = limits;
    this.#clock = clock;
  }

  get includeLan(): boolean {
    return this.#limits.perIpLimitsOnLan;
  }

  /** Addresses with handshakes pending and addresses held in a throttle window: both stay bounded. */
  get tracked(): { pending: number; throttled: number } {
    return { pending: this.#pending.size, throttled: this.#history.size };
  }

  /** Why a new connection from `key` must be closed now, or undefined if it may start its handshake. */
  check(key: string): InboundRefusal | undefined {
    if (this.#throttled(key)) return 'throttled';
    if ((this.#pending.get(key) ?? 0) >= this.#limits.maxPendingPerIp) return 'pendingPerIp';
    return undefined;
  }

  /**
   * Records an accepted connection: it counts as pending and starts the throttle window. Only accepted
   * ones do (as go-ethereum, which checks only once a pending slot is free), so a peer turned away by a
   * full server is not also locked out for the window.
   */
  admit(key: string): void {
    this.#pending.set(key, (this.#pending.get(key) ?? 0) + 1);
    if (this.#limits.inboundThrottleMs > 0) {
      this.#history.delete(key);
      this.#history.set(key, this.#clock.now() + this.#limits.inboundThrottleMs);
    }
  }

  /** The handshake of a connection from `key` is over (connected or closed). */
  release(key: string): void {
    const n = this.#pending.get(key) ?? 0;
    if (n <= 1) this.#pending.delete(key);
    else this.#pending.set(key, n - 1);
  }

  #throttled(key: string): boolean {
    // With the throttle off admit() records nothing, so the history is empty and this returns false.
    const now = this.#clock.now();
    // Forget expired windows from the oldest on: the map holds only the addresses of the last window.
    for (const [k, end] of this.#history) {
      if (end > now) break;
      this.#history.delete(k);
    }
    // An address without a window is treated as one that ends now: not throttled.
    return (this.#history.get(key) ?? now) > now;
  }
}
