const IPV4 = /^(?:::ffff:)?(\d{1,3}(?:\.\d{1,3}){3})$/i;

/**
 * The key per-address limits count under: an IPv4 address as is (IPv4-mapped IPv6 too), an IPv6 address
 * by its /64 prefix, since one host is usually given a whole /64. Anything unparsable stays as given.
 */
export function addressGroup(ip: string): string {
  const v4 = IPV4.exec(ip);
  if (v4) return v4[1]!;
  if (!ip.includes(':')) return ip;
  const parts = ip.split('%')[0]!.split('::');
  if (parts.length > 2) return ip;
  const groups = (text: string | undefined) => (text ? text.split(':') : []);
  const head = groups(parts[0]);
  const tail = groups(parts[1]);
  const zeros = parts.length === 2 ? 8 - head.length - tail.length : 0;
  const all = [...head, ...Array<string>(Math.max(zeros, 0)).fill('0'), ...tail];
  if (all.length !== 8 || !all.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return ip;
  return `${all
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}
