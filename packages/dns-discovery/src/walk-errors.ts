import type { TreeEntry } from './entries.js';
import { DnsDiscoveryError, DnsErrorCode } from './errors.js';

/** The structural errors shared by `syncTree` and the random walk. */

export function checkSubtreeKind(entry: TreeEntry, kind: 'enr' | 'link', name: string): void {
  if (entry.kind === 'enr' && kind === 'link') {
    throw new DnsDiscoveryError(DnsErrorCode.WrongSubtree, `${name}: ENR leaf in the link subtree`, {
      details: { name },
    });
  }
  if (entry.kind === 'link' && kind === 'enr') {
    throw new DnsDiscoveryError(DnsErrorCode.WrongSubtree, `${name}: link in the ENR subtree`, {
      details: { name },
    });
  }
}

export function tooDeep(name: string, maxDepth: number): DnsDiscoveryError {
  return new DnsDiscoveryError(DnsErrorCode.TooDeep, `${name}: branches nested deeper than ${maxDepth}`, {
    details: { name, limit: maxDepth },
  });
}

export function loop(name: string): DnsDiscoveryError {
  return new DnsDiscoveryError(DnsErrorCode.Loop, `${name}: entry reached twice`, { details: { name } });
}

export function tooManyEntries(domain: string, maxEntries: number): DnsDiscoveryError {
  return new DnsDiscoveryError(DnsErrorCode.TooManyEntries, `${domain}: more than ${maxEntries} entries`, {
    details: { domain, limit: maxEntries },
  });
}
