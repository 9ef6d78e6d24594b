import { bytesToHex } from '@status-ts/core';
import { isOneToOneChatId, oneToOneChatId } from '../chat-id.js';
import { PayloadError, PayloadErrorCode } from '../errors.js';

/**
 * A member key as status-go writes it in group events and compares it: `0x04` + 128 lowercase hex digits
 * (`types.EncodeHex(crypto.FromECDSAPub(key))`), the same string as a 1:1 chat id.
 */
export type GroupMemberId = string;

/**
 * The member id of `key`: a public key in any secp256k1 form, or a member id string, which must already
 * be in the exact `0x04…` form (status-go compares these strings byte for byte, so we never normalise a
 * differently spelled one). ERR_PAYLOAD_INVALID_FIELD otherwise.
 */
export function toMemberId(key: Uint8Array | string): GroupMemberId {
  if (typeof key !== 'string') return oneToOneChatId(key);
  if (!isOneToOneChatId(key)) {
    throw new PayloadError(
      PayloadErrorCode.InvalidField,
      'member id must be 0x04 + 128 lowercase hex digits',
      {
        details: { member: key.slice(0, 140) },
      },
    );
  }
  return key;
}

/** The member id of a recovered 65-byte uncompressed key (already in canonical form, so no conversion). */
export function recoveredMemberId(uncompressedKey: Uint8Array): GroupMemberId {
  return `0x${bytesToHex(uncompressedKey)}`;
}
