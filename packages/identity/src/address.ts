import { bytesToHex, hexToBytes, utf8ToBytes } from '@status-ts/core';
import { convertPublicKey, getPublicKey, keccak256 } from '@status-ts/crypto';
import { IdentityError, IdentityErrorCode } from './errors.js';

export const ADDRESS_LENGTH = 20;

const HEX_ADDRESS = /^(0x)?[0-9a-fA-F]{40}$/;

function invalid(message: string, details?: Record<string, unknown>): IdentityError {
  return new IdentityError(IdentityErrorCode.InvalidAddress, message, { details });
}

/** The 20-byte account of a public key (any form): the last 20 bytes of keccak256(X || Y). */
export function publicKeyToAddressBytes(publicKey: Uint8Array): Uint8Array {
  return keccak256(convertPublicKey(publicKey, 'raw')).slice(12);
}

/** EIP-55 checksummed address of a public key (any of the 33, 64 or 65-byte forms). */
export function publicKeyToAddress(publicKey: Uint8Array): string {
  return checksum(bytesToHex(publicKeyToAddressBytes(publicKey)));
}

export function privateKeyToAddress(privateKey: Uint8Array): string {
  return publicKeyToAddress(getPublicKey(privateKey, 'raw'));
}

/** EIP-55: upper-case each hex letter whose nibble in keccak256(lower-case hex text) is >= 8. */
function checksum(lowerHex: string): string {
  const hash = keccak256(utf8ToBytes(lowerHex));
  let out = '0x';
  for (let i = 0; i < 40; i++) {
    const nibble = (hash[i >> 1]! >> (i % 2 === 0 ? 4 : 0)) & 0x0f;
    out += nibble >= 8 ? lowerHex[i]!.toUpperCase() : lowerHex[i]!;
  }
  return out;
}

function lowerHexOf(address: string | Uint8Array): string {
  if (address instanceof Uint8Array) {
    if (address.length !== ADDRESS_LENGTH) {
      throw invalid(`address must be ${ADDRESS_LENGTH} bytes, got ${address.length}`, {
        length: address.length,
      });
    }
    return bytesToHex(address);
  }
  if (typeof address !== 'string' || !HEX_ADDRESS.test(address)) {
    throw invalid('address must be 40 hex digits, optionally prefixed with 0x');
  }
  return address.slice(address.length - 40).toLowerCase();
}

/** The EIP-55 form of an address given as bytes or hex in any case (the given case is not checked). */
export function toChecksumAddress(address: string | Uint8Array): string {
  return checksum(lowerHexOf(address));
}

/** True only for `0x` + 40 hex digits whose case matches the EIP-55 checksum exactly. */
export function isValidChecksumAddress(address: string): boolean {
  if (typeof address !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(address)) return false;
  return checksum(address.slice(2).toLowerCase()) === address;
}

/**
 * Parses a hex address to 20 bytes. All-lower and all-upper text carry no checksum and are accepted;
 * mixed case must match EIP-55, so a mistyped checksummed address is refused.
 */
export function parseAddress(address: string): Uint8Array {
  const lower = lowerHexOf(address);
  const body = address.slice(address.length - 40);
  const mixed = body !== body.toLowerCase() && body !== body.toUpperCase();
  if (mixed && checksum(lower).slice(2) !== body) {
    throw invalid('address checksum (EIP-55) does not match');
  }
  return hexToBytes(lower);
}

/** True when `parseAddress` would accept `address`. */
export function isAddress(address: string): boolean {
  try {
    parseAddress(address);
    return true;
  } catch {
    return false;
  }
}
