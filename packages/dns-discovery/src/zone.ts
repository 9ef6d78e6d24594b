import { DnsDiscoveryError, DnsErrorCode } from './errors.js';
import { splitTxt } from './resolver.js';

export interface ZoneFileOptions {
  /** TTL of the root record, seconds (default 60, as in the EIP-1459 example; clients re-check it). */
  rootTtl?: number;
  /** TTL of the other records, seconds (default 86900, as in the EIP-1459 example: they never change). */
  ttl?: number;
}

/** Tree texts use printable ASCII only; quotes and backslashes would need escaping, so they are refused. */
function assertPublishable(text: string, name: string): void {
  if (!/^[\x20-\x7e]*$/.test(text) || text.includes('"') || text.includes('\\')) {
    throw new DnsDiscoveryError(DnsErrorCode.InvalidInput, `${name}: text cannot be written to a zone`, {
      details: { name },
    });
  }
}

function quoted(text: string): string {
  return splitTxt(text, 255)
    .map((part) => `"${part}"`)
    .join(' ');
}

/** BIND zone file lines; texts over 255 characters become several quoted strings of one record. */
export function formatZoneFile(
  domain: string,
  rootText: string,
  entries: ReadonlyMap<string, string>,
  options: ZoneFileOptions = {},
): string {
  const rootTtl = options.rootTtl ?? 60;
  const ttl = options.ttl ?? 86900;
  assertPublishable(rootText, domain);
  const lines = [`$ORIGIN ${domain}.`, `@ ${rootTtl} IN TXT ${quoted(rootText)}`];
  for (const [hash, text] of entries) {
    assertPublishable(text, hash);
    lines.push(`${hash} ${ttl} IN TXT ${quoted(text)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** dnsmasq `txt-record=<name>,"<text>"` lines (dnsmasq splits texts over 255 characters itself). */
export function formatDnsmasqConfig(records: Readonly<Record<string, string>>): string {
  const lines = Object.entries(records).map(([name, text]) => {
    assertPublishable(text, name);
    return `txt-record=${name},"${text}"`;
  });
  return `${lines.join('\n')}\n`;
}
