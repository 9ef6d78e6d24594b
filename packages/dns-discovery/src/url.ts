import { COMPRESSED_PUBLIC_KEY_LENGTH, convertPublicKey, isValidPublicKey } from '@status-ts/crypto';
import { base32Decode, base32Encode } from './base32.js';
import { LINK_PREFIX } from './constants.js';
import { DnsDiscoveryError, DnsErrorCode } from './errors.js';

/** Where a tree lives and who signs it: the parts of `enrtree://<key>@<domain>`. */
export interface TreeLocation {
  readonly domain: string;
  /** 33-byte compressed secp256k1 key that must have signed the root. */
  readonly publicKey: Uint8Array;
  /** The URL in canonical form. */
  readonly url: string;
}

const LABEL = /^[A-Za-z0-9_-]{1,63}$/;

/** A DNS name: dot-separated labels of letters, digits, `-` and `_`, at most 253 characters, no final dot. */
export function isValidDomain(domain: string): boolean {
  // An empty domain is one empty label, which LABEL refuses.
  return domain.length <= 253 && domain.split('.').every((label) => LABEL.test(label));
}

/** `enrtree://<base32 of the compressed key>@<domain>` (DNS-01). Accepts any key form. */
export function formatTreeUrl(publicKey: Uint8Array, domain: string): string {
  return `${LINK_PREFIX}${base32Encode(convertPublicKey(publicKey, 'compressed'))}@${domain}`;
}

/** Parses `<key>@<domain>` (the body of a URL or link entry); failures use `code`. */
export function parseLinkBody(body: string, code: DnsErrorCode, what: string): TreeLocation {
  const at = body.indexOf('@');
  if (at < 0) throw new DnsDiscoveryError(code, `${what}: no public key`);
  const keyText = body.slice(0, at);
  const domain = body.slice(at + 1);
  let publicKey: Uint8Array;
  try {
    // go-ethereum decodes the key without checking the unused bits of the last character.
    publicKey = base32Decode(keyText, { strict: false });
  } catch (cause) {
    throw new DnsDiscoveryError(code, `${what}: invalid public key`, { cause });
  }
  if (publicKey.length !== COMPRESSED_PUBLIC_KEY_LENGTH || !isValidPublicKey(publicKey)) {
    throw new DnsDiscoveryError(code, `${what}: invalid public key`, {
      details: { length: publicKey.length },
    });
  }
  if (!isValidDomain(domain)) {
    throw new DnsDiscoveryError(code, `${what}: invalid domain`, { details: { domain } });
  }
  return { domain, publicKey, url: formatTreeUrl(publicKey, domain) };
}

/** Parses an `enrtree://` URL; throws ERR_DNS_INVALID_URL. */
export function parseTreeUrl(url: string): TreeLocation {
  if (!url.startsWith(LINK_PREFIX)) {
    throw new DnsDiscoveryError(DnsErrorCode.InvalidUrl, "missing 'enrtree://' scheme");
  }
  return parseLinkBody(url.slice(LINK_PREFIX.length), DnsErrorCode.InvalidUrl, 'url');
}
