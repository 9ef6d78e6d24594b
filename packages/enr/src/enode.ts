import { bytesToHex, equalBytes, hexToBytes } from '@status-ts/core';
import { convertPublicKey, getPublicKey, keccak256 } from '@status-ts/crypto';
import { Enr, type EnrDecodeOptions } from './enr/enr.js';
import { EnrError, EnrErrorCode } from './errors.js';
import { formatIPv4, formatIPv6, isIPv4Mapped, parseIPv4, parseIPv6 } from './ip.js';
import type { NodeAddress } from './node-address.js';
import type { RlpItem } from './rlp/index.js';

/**
 * enode URLs (checklist ENR-06), as go-ethereum's `p2p/enode/urlv4.go` reads and writes them:
 *   enode://<128 hex public key>@<ip>:<tcp port>[?discport=<udp port>]   (IPv6 in brackets)
 *   enode://<128 hex public key>                                        (incomplete: key only)
 * Hosts must be IP addresses. DNS names are rejected with ERR_ENODE_HOSTNAME unless `allowHostname` is set
 * (newer go-ethereum resolves them; resolving is the caller's business here). Ports follow Go's
 * `strconv.ParseUint(s, 10, 16)`: decimal, leading zeros allowed, 0-65535; port 0 means "none".
 */
export const ENODE_PREFIX = 'enode://';

export interface ParseEnodeOptions {
  /** Accept a DNS name as host; it is returned as `hostname` with `ip` undefined. Default false. */
  allowHostname?: boolean;
}

const HEX_ONLY = /^[0-9a-fA-F]+$/;
const DIGITS = /^[0-9]+$/;
const HOSTNAME =
  /^(?=.{1,253}$)[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*\.?$/;

function invalid(message: string, details: Record<string, unknown> = {}): EnrError {
  return new EnrError(EnrErrorCode.EnodeInvalid, message, { details });
}

function invalidKey(message: string, cause?: unknown): EnrError {
  return new EnrError(EnrErrorCode.EnodeInvalidPublicKey, `invalid public key (${message})`, { cause });
}

/** 128 hex characters of a point on the curve, as the 64-byte `X||Y` key. */
function parsePublicKeyHex(hex: string): Uint8Array {
  if (!HEX_ONLY.test(hex)) throw invalidKey('not hex');
  if (hex.length !== 128) throw invalidKey('wrong length, want 128 hex chars');
  return toRawKey(hexToBytes(hex));
}

function toRawKey(publicKey: Uint8Array): Uint8Array {
  try {
    return convertPublicKey(publicKey, 'raw');
  } catch (cause) {
    // A CryptoError for a point off the curve; anything else (a caller's non-bytes key) is just as invalid.
    throw invalidKey('not a point on the secp256k1 curve', cause);
  }
}

function parsePort(text: string, what: 'port' | 'discport'): number {
  const value = DIGITS.test(text) ? Number(text) : Number.NaN;
  if (!(value <= 0xffff)) {
    throw new EnrError(
      EnrErrorCode.EnodeInvalidPort,
      what === 'port' ? 'invalid port' : 'invalid discport in query',
      { details: { [what]: text } },
    );
  }
  return value;
}

function address(publicKey: Uint8Array, ip: string | undefined, tcp: number, udp: number): NodeAddress {
  return { publicKey, nodeId: keccak256(publicKey), ip, tcp, udp };
}

/** Splits `host:port` or `[ipv6]:port`. */
function splitHostPort(hostPort: string): { host: string; bracketed: boolean; port: string } {
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    // Stryker disable next-line EqualityOperator: index 0 holds the '[', so ']' is never found there.
    if (close < 0) throw invalid('missing "]" after IPv6 address');
    const after = hostPort.slice(close + 1);
    if (!after.startsWith(':')) throw parsePortMissing();
    return { host: hostPort.slice(1, close), bracketed: true, port: after.slice(1) };
  }
  const colon = hostPort.lastIndexOf(':');
  if (colon < 0) throw parsePortMissing();
  const host = hostPort.slice(0, colon);
  if (host.includes(':')) throw invalid('IPv6 addresses must be in brackets');
  return { host, bracketed: false, port: hostPort.slice(colon + 1) };
}

function parsePortMissing(): EnrError {
  return new EnrError(EnrErrorCode.EnodeInvalidPort, 'invalid port (missing)');
}

const DISCPORT = 'discport=';

/** The udp port from `discport`, Go style: the first value counts, an empty value is ignored. */
function discport(query: string, tcp: number): number {
  for (const part of query.split('&')) {
    if (part === 'discport' || part === DISCPORT) return tcp;
    if (part.startsWith(DISCPORT)) return parsePort(part.slice(DISCPORT.length), 'discport');
  }
  return tcp;
}

/** Parses an enode URL into the address a dialer needs. Throws only `EnrError` (ERR_ENODE_*). */
export function parseEnode(url: string, options: ParseEnodeOptions = {}): NodeAddress {
  if (!url.startsWith(ENODE_PREFIX)) throw invalid('invalid URL scheme, want "enode"');
  const rest = url.slice(ENODE_PREFIX.length);
  // Incomplete form: the key alone (go-ethereum's incompleteNodeURL).
  if (HEX_ONLY.test(rest)) {
    // Short hex with no '@' is far more often a URL cut before its address than a key-only URL.
    if (rest.length !== 128) {
      throw new EnrError(
        EnrErrorCode.EnodeInvalidPublicKey,
        `missing the address part (@host:port) after the public key; a key-only enode URL needs the whole 128-hex-character key, got ${rest.length} characters`,
        { details: { length: rest.length } },
      );
    }
    return address(parsePublicKeyHex(rest), undefined, 0, 0);
  }
  const at = rest.lastIndexOf('@');
  if (at < 0) throw invalid('does not contain node ID');
  const publicKey = parsePublicKeyHex(rest.slice(0, at));
  let hostPort = rest.slice(at + 1);
  if (hostPort.includes('#')) throw invalid('fragments are not allowed');
  // Stryker disable next-line StringLiteral: any other text without a discport parameter reads the same.
  let query = '';
  const q = hostPort.indexOf('?');
  if (q >= 0) {
    query = hostPort.slice(q + 1);
    hostPort = hostPort.slice(0, q);
  }
  if (hostPort.includes('/')) throw invalid('paths are not allowed');
  const { host, bracketed, port } = splitHostPort(hostPort);
  const tcp = parsePort(port, 'port');
  const udp = discport(query, tcp);

  if (bracketed) {
    const ip6 = parseIPv6(host);
    if (ip6 === undefined) throw invalid('invalid IPv6 address', { host });
    return address(publicKey, isIPv4Mapped(ip6) ? formatIPv4(ip6.subarray(12)) : formatIPv6(ip6), tcp, udp);
  }
  const ip4 = parseIPv4(host);
  if (ip4 !== undefined) return address(publicKey, formatIPv4(ip4), tcp, udp);
  if (!HOSTNAME.test(host) || /^[0-9.]+$/.test(host)) throw invalid('invalid IP address', { host });
  if (options.allowHostname !== true) {
    throw new EnrError(EnrErrorCode.EnodeHostname, 'invalid IP address (DNS names are not allowed)', {
      details: { host },
    });
  }
  return { ...address(publicKey, undefined, tcp, udp), hostname: host };
}

/** What `formatEnode` needs; a `NodeAddress` fits. */
export interface EnodeFields {
  /** Any form: 33-byte compressed, 64-byte `X||Y` or 65-byte uncompressed. */
  publicKey: Uint8Array;
  ip?: string | undefined;
  hostname?: string | undefined;
  /** Default 0. */
  tcp?: number;
  /** Default: the tcp port (then no `discport` is written). */
  udp?: number;
}

function formatHost(ip: string): string {
  const ip4 = parseIPv4(ip);
  if (ip4 !== undefined) return formatIPv4(ip4);
  const ip6 = parseIPv6(ip);
  if (ip6 === undefined) throw invalid('invalid IP address', { ip });
  return isIPv4Mapped(ip6) ? formatIPv4(ip6.subarray(12)) : `[${formatIPv6(ip6)}]`;
}

function checkPort(port: number): number {
  if (!Number.isInteger(port) || port < 0 || port > 0xffff) {
    throw new EnrError(EnrErrorCode.EnodeInvalidPort, `invalid port ${port}`);
  }
  return port;
}

/** Writes an enode URL exactly as go-ethereum's `Node.URLv4()` does (key only when there is no host). */
export function formatEnode(fields: EnodeFields): string {
  const key = bytesToHex(toRawKey(fields.publicKey));
  let host: string;
  if (fields.ip !== undefined) host = formatHost(fields.ip);
  else if (fields.hostname !== undefined) {
    if (!HOSTNAME.test(fields.hostname)) throw invalid('invalid hostname', { hostname: fields.hostname });
    host = fields.hostname;
  } else return ENODE_PREFIX + key;
  const tcp = checkPort(fields.tcp ?? 0);
  const udp = checkPort(fields.udp ?? tcp);
  return `${ENODE_PREFIX}${key}@${host}:${tcp}${udp === tcp ? '' : `?discport=${udp}`}`;
}

/** The enode URL of a record; it needs an IP and a TCP port (ERR_ENODE_MISSING_ADDRESS otherwise). */
export function enodeFromEnr(enr: Enr): string {
  const hasTcp =
    enr.ip !== undefined
      ? enr.tcp !== undefined
      : enr.ip6 !== undefined && (enr.tcp6 ?? enr.tcp) !== undefined;
  if (!hasTcp) throw new EnrError(EnrErrorCode.EnodeMissingAddress, 'record has no IP address and TCP port');
  return formatEnode(enr.toNodeAddress());
}

/**
 * A signed record for the node an enode URL describes. Only the node's own key can sign it, so `privateKey`
 * must match the URL (ERR_ENR_KEY_MISMATCH). Like go-ethereum's `NewV4`, ports of 0 are left out and the
 * ports go under `tcp`/`udp` for IPv4 and IPv6 alike.
 */
export function enrFromEnode(
  url: string,
  privateKey: Uint8Array,
  options: { seq?: number | bigint; entries?: Record<string, RlpItem> } = {},
): Enr {
  const node = parseEnode(url);
  if (!equalBytes(getPublicKey(privateKey, 'raw'), node.publicKey)) {
    throw new EnrError(EnrErrorCode.KeyMismatch, 'private key does not match the enode URL');
  }
  const isV6 = node.ip?.includes(':') === true;
  return Enr.create({
    privateKey,
    ...options,
    // A key-only URL has no ip: an undefined field is left out of the record.
    ...(isV6 ? { ip6: node.ip } : { ip: node.ip }),
    ...(node.tcp === 0 ? {} : { tcp: node.tcp }),
    ...(node.udp === 0 ? {} : { udp: node.udp }),
  });
}

/**
 * Either form of node URL, as go-ethereum's `enode.Parse` accepts them: `enode://...` or `enr:...` (decoded and
 * verified). Anything else is ERR_ENR_MISSING_PREFIX.
 */
export function parseNodeUrl(text: string, options: ParseEnodeOptions & EnrDecodeOptions = {}): NodeAddress {
  if (text.startsWith(ENODE_PREFIX)) return parseEnode(text, options);
  // decodeText rejects anything without the 'enr:' prefix (ERR_ENR_MISSING_PREFIX).
  return Enr.decodeText(text, options).toNodeAddress();
}
