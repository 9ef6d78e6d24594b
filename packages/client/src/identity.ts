import { bytesToHex } from '@status-ts/core';
import { getPublicKey, isValidPrivateKey } from '@status-ts/crypto';
import { deriveAccount, threeWordName } from '@status-ts/identity';
import { ClientError, ClientErrorCode } from './errors.js';

/** Who the node is: a BIP39 phrase (the Status chat key is derived from it) or the chat key itself. */
export type IdentityOption =
  | { readonly mnemonic: string; readonly passphrase?: string }
  | { readonly privateKey: Uint8Array };

/** The node's chat identity. */
export interface NodeIdentity {
  /** 32-byte chat private key. */
  readonly privateKey: Uint8Array;
  /** 65-byte uncompressed public key. */
  readonly publicKey: Uint8Array;
  /** `0x04…`: the key as Status writes it (1:1 chat id, contact id, mention). */
  readonly id: string;
  /** The three-word name Status shows for the key. */
  readonly name: string;
}

/** Resolves the identity option (typed error for a bad phrase or key). */
export function resolveIdentity(option: IdentityOption): NodeIdentity {
  let privateKey: Uint8Array;
  if ('mnemonic' in option) {
    try {
      privateKey = deriveAccount(option.mnemonic, { passphrase: option.passphrase ?? '' }).chatKey.privateKey;
    } catch (cause) {
      throw new ClientError(ClientErrorCode.InvalidOptions, 'identity.mnemonic is not a valid BIP39 phrase', {
        cause,
      });
    }
  } else {
    if (!(option.privateKey instanceof Uint8Array) || !isValidPrivateKey(option.privateKey)) {
      throw new ClientError(
        ClientErrorCode.InvalidOptions,
        'identity.privateKey is not a valid secp256k1 key',
      );
    }
    privateKey = option.privateKey.slice();
  }
  const publicKey = getPublicKey(privateKey, 'uncompressed');
  return { privateKey, publicKey, id: `0x${bytesToHex(publicKey)}`, name: threeWordName(publicKey) };
}
