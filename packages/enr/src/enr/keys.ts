import { copyBytes, utf8ToBytes } from '@status-ts/core';
import { EnrError, EnrErrorCode } from '../errors.js';
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from '../ip.js';
import type { RlpItem } from '../rlp/index.js';

/** Keys predefined by EIP-778. */
export const EnrKey = {
  id: 'id',
  secp256k1: 'secp256k1',
  ip: 'ip',
  tcp: 'tcp',
  udp: 'udp',
  ip6: 'ip6',
  tcp6: 'tcp6',
  udp6: 'udp6',
} as const;

/** The identity scheme this package signs and verifies. */
export const IDENTITY_SCHEME_V4 = 'v4';

/** Keys owned by the identity scheme: set by `create`/`with`, never through `entries`. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set([EnrKey.id, EnrKey.secp256k1]);

const PORT_KEYS: ReadonlySet<string> = new Set([EnrKey.tcp, EnrKey.udp, EnrKey.tcp6, EnrKey.udp6]);

function invalidValue(key: string, message: string): EnrError {
  return new EnrError(EnrErrorCode.InvalidValue, `${key}: ${message}`, { details: { key } });
}

/**
 * Keys are byte strings. Inside a record they are held as "binary strings" (one char per byte), which equal the
 * key text for ASCII keys and stay exact for any other bytes.
 */
export function keyToId(key: Uint8Array): string {
  return String.fromCharCode(...key);
}

export function idToKey(id: string): Uint8Array {
  return Uint8Array.from(id, (char) => char.charCodeAt(0));
}

/** A caller's key (text is UTF-8 encoded, bytes are taken as is) as a binary-string id. */
export function textKeyToId(key: string | Uint8Array): string {
  return keyToId(typeof key === 'string' ? utf8ToBytes(key) : key);
}

/**
 * Checks the value of a predefined key (`ip` 4 bytes, `ip6` 16 bytes, ports integers of at most 2 bytes).
 * Other keys (including `id` and `secp256k1`, checked by the identity scheme) pass through untouched.
 */
export function validateStandardValue(key: string, value: RlpItem): void {
  if (key === EnrKey.ip || key === EnrKey.ip6) {
    const length = key === EnrKey.ip ? 4 : 16;
    if (!(value instanceof Uint8Array) || value.length !== length) {
      throw invalidValue(key, `must be a ${length}-byte address`);
    }
  } else if (PORT_KEYS.has(key)) {
    // Leading zero bytes are accepted (`00ff` is 255): @chainsafe/enr writes every port as 2 bytes, and any
    // spelling within 2 bytes names the same number. Wider values are rejected, as go-ethereum's uint16 does.
    if (!(value instanceof Uint8Array) || value.length > 2) throw invalidValue(key, 'must be a 16-bit port');
  }
}

export function portToBytes(key: string, port: number): Uint8Array {
  if (!Number.isInteger(port) || port < 0 || port > 0xffff) throw invalidValue(key, `invalid port ${port}`);
  if (port === 0) return new Uint8Array(0);
  return port < 0x100 ? Uint8Array.of(port) : Uint8Array.of(port >> 8, port & 0xff);
}

/** A port value as its number; leading zero bytes (`00ff`) read as the same port. */
export function bytesToPort(bytes: Uint8Array): number {
  let value = 0;
  for (let i = 0; i < bytes.length; i++) value = value * 256 + bytes[i]!;
  return value;
}

/** `ip` from dotted text or 4 bytes; `ip6` from IPv6 text or 16 bytes. */
export function addressToBytes(key: 'ip' | 'ip6', address: string | Uint8Array): Uint8Array {
  const length = key === EnrKey.ip ? 4 : 16;
  const bytes =
    typeof address === 'string'
      ? key === EnrKey.ip
        ? parseIPv4(address)
        : parseIPv6(address)
      : copyBytes(address);
  if (bytes === undefined || bytes.length !== length) {
    throw invalidValue(key, `not an IPv${key === EnrKey.ip ? 4 : 6} address: ${String(address)}`);
  }
  return bytes;
}

export function bytesToAddress(bytes: Uint8Array): string {
  return bytes.length === 4 ? formatIPv4(bytes) : formatIPv6(bytes);
}
