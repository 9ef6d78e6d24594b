import { bytesToHex } from '@status-ts/core';
import { Enr, parseIPv4, parseIPv6 } from '@status-ts/enr';
import { recordInfo } from '../record-info.js';
import type { UdpEndpoint } from '../transport/types.js';

/** Verified records decoded so far, shared by every node in the process (records are immutable). */
const RECORD_CACHE_LIMIT = 4096;
const recordCache = new Map<string, Enr>();

/**
 * `Enr.decode` with a cache: the same bytes always verify the same way, and NODES responses repeat the
 * same records constantly, so signature checks run once per record version.
 */
export function decodeRecordCached(bytes: Uint8Array): Enr {
  const key = bytesToHex(bytes);
  const hit = recordCache.get(key);
  if (hit) return hit;
  const enr = Enr.decode(bytes);
  recordCache.set(key, enr);
  if (recordCache.size > RECORD_CACHE_LIMIT) recordCache.delete(recordCache.keys().next().value as string);
  return enr;
}

/** Where to send UDP packets to the node of `enr`: `ip`/`udp`, else `ip6`/`udp6`. */
export function recordEndpoint(enr: Enr): UdpEndpoint | undefined {
  return recordInfo(enr).endpoint;
}

type AddressClass = 'loopback' | 'private' | 'public' | 'invalid';

function classify(ip: string): AddressClass {
  const v4 = parseIPv4(ip);
  if (v4) {
    const [a, b] = [v4[0]!, v4[1]!];
    if (a === 127) return 'loopback';
    if (a === 0 || a >= 224) return 'invalid';
    if (
      a === 10 ||
      (a === 172 && b >= 16 && b < 32) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254)
    ) {
      return 'private';
    }
    if (a === 100 && b >= 64 && b < 128) return 'private'; // carrier-grade NAT
    return 'public';
  }
  const v6 = parseIPv6(ip);
  if (!v6) return 'invalid';
  if (v6.every((x, i) => (i === 15 ? x === 1 : x === 0))) return 'loopback';
  if (v6.every((x) => x === 0) || v6[0] === 0xff) return 'invalid';
  if ((v6[0]! & 0xfe) === 0xfc || (v6[0] === 0xfe && (v6[1]! & 0xc0) === 0x80)) return 'private';
  return 'public';
}

/**
 * Whether a node at `sender` may tell us about a node at `relayed` (as go-ethereum's CheckRelayAddr): loopback
 * addresses only from loopback senders, LAN addresses only from LAN or loopback senders, never unspecified or
 * multicast addresses.
 */
export function relayAllowed(sender: string, relayed: string): boolean {
  const target = classify(relayed);
  if (target === 'invalid') return false;
  if (target === 'public') return true;
  const from = classify(sender);
  if (target === 'loopback') return from === 'loopback';
  return from === 'private' || from === 'loopback';
}
