import { utf8ToBytes } from '@status-ts/core';
import { keccak256, sign, verify } from '@status-ts/crypto';
import { type RootEntry, rootSigningText } from './entries.js';
import { DnsDiscoveryError, DnsErrorCode } from './errors.js';

/** Signs a root: 65-byte `r||s||v` over keccak256 of the text before ` sig=` (DNS-02). */
export function signRoot(
  fields: Pick<RootEntry, 'eRoot' | 'lRoot' | 'seq'>,
  privateKey: Uint8Array,
): RootEntry {
  const signature = sign(keccak256(utf8ToBytes(rootSigningText(fields))), privateKey);
  return { kind: 'root', eRoot: fields.eRoot, lRoot: fields.lRoot, seq: fields.seq, signature };
}

/** True when the root was signed by `publicKey` (any form). The recovery byte is ignored, as in go-ethereum. */
export function verifyRoot(root: RootEntry, publicKey: Uint8Array): boolean {
  return verify(keccak256(utf8ToBytes(rootSigningText(root))), root.signature, publicKey);
}

/** Throws ERR_DNS_BAD_SIGNATURE unless `verifyRoot` holds. */
export function assertRootSigned(root: RootEntry, publicKey: Uint8Array, domain: string): void {
  if (!verifyRoot(root, publicKey)) {
    throw new DnsDiscoveryError(DnsErrorCode.BadSignature, 'root: invalid signature', {
      details: { domain, seq: root.seq },
    });
  }
}
