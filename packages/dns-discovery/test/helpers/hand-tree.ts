import { getPublicKey } from '@status-ts/crypto';
import { entryHash, formatRoot, formatTreeUrl, type MemoryResolver, signRoot } from '../../src/index.js';

export const EMPTY = 'enrtree-branch:';

/** A tree written by hand: `eRoot` and `lRoot` are texts, `extra` the other entries (text -> its own hash). */
export function handTree(
  resolver: MemoryResolver,
  domain: string,
  key: Uint8Array,
  eRoot: string,
  lRoot = EMPTY,
  extra: string[] = [],
  seq = 1,
) {
  const root = signRoot({ eRoot: entryHash(eRoot), lRoot: entryHash(lRoot), seq }, key);
  resolver.set(domain, formatRoot(root));
  for (const text of [eRoot, lRoot, ...extra]) resolver.set(`${entryHash(text)}.${domain}`, text);
  return formatTreeUrl(getPublicKey(key, 'compressed'), domain);
}

/** A branch entry listing the hashes of `texts`. */
export const branch = (...texts: string[]) => `enrtree-branch:${texts.map(entryHash).join(',')}`;
