import { parseIPv4 } from '@status-ts/enr';

/**
 * True for IPv4 addresses a remote peer cannot dial: loopback (127/8), RFC 1918 private ranges and the
 * unspecified address. Registrars ask the server for their public address (REMOTEIP) when theirs is one.
 */
export function isLocalIPv4(ip: string): boolean {
  const bytes = parseIPv4(ip);
  if (!bytes) return false;
  const [a, b] = [bytes[0]!, bytes[1]!];
  return (
    a === 127 ||
    a === 10 ||
    (a === 172 && (b & 0xf0) === 16) ||
    (a === 192 && b === 168) ||
    bytes.every((x) => x === 0)
  );
}
