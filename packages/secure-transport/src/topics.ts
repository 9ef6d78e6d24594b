import { bytesToBigInt, bytesToHex, utf8ToBytes } from '@status-ts/core';
import { convertPublicKey, keccak256, symmetricKeyFromPassword } from '@status-ts/crypto';
import { TOPIC_PARTITIONS } from './constants.js';
import { SecureTransportError, SecureTransportErrorCode } from './errors.js';
import { sharedX } from './keys.js';

/** Name of the shared, legacy discovery topic (asymmetric filter). */
export const DISCOVERY_TOPIC_NAME = 'contact-discovery';

/** A Waku topic derived from a name: Keccak-256(UTF-8 name)[0:4] (status-go `ToTopic`). */
export function topicFromName(name: string): Uint8Array {
  return keccak256(utf8ToBytes(name)).slice(0, 4);
}

function uncompressed(publicKey: Uint8Array): Uint8Array {
  try {
    // Stryker disable next-line StringLiteral: convertPublicKey returns the 65-byte form for any form but 'compressed' and 'raw'
    return convertPublicKey(publicKey, 'uncompressed');
  } catch (cause) {
    throw new SecureTransportError(SecureTransportErrorCode.BadKey, 'invalid public key', { cause });
  }
}

/** The partition of a public key: its X coordinate mod 5000 (status-go `PartitionedTopic`). */
export function topicPartition(publicKey: Uint8Array): number {
  const x = bytesToBigInt(uncompressed(publicKey).subarray(1, 33));
  return Number(x % TOPIC_PARTITIONS);
}

/** `contact-discovery-<partition>`: where first contact with this key is sent (asymmetric filter). */
export function partitionedTopicName(publicKey: Uint8Array): string {
  return `${DISCOVERY_TOPIC_NAME}-${topicPartition(publicKey)}`;
}

export function partitionedTopic(publicKey: Uint8Array): Uint8Array {
  return topicFromName(partitionedTopicName(publicKey));
}

/** `contact-discovery-<hex of the 65-byte key>`: the personal discovery topic (asymmetric filter). */
export function personalDiscoveryTopicName(publicKey: Uint8Array): string {
  return `${DISCOVERY_TOPIC_NAME}-${bytesToHex(uncompressed(publicKey))}`;
}

/** A symmetric-filter topic and its key: topic = Keccak-256(name)[0:4], key = PBKDF2 of the name. */
export interface SymmetricTopic {
  readonly name: string;
  readonly topic: Uint8Array;
  readonly symmetricKey: Uint8Array;
}

function symmetricTopic(name: string): SymmetricTopic {
  return { name, topic: topicFromName(name), symmetricKey: symmetricKeyFromPassword(name) };
}

/** Contact-code topic (bundles are published there): name `0x<hex 65-byte key>-contact-code` (ST-13). */
export function contactCodeTopic(publicKey: Uint8Array): SymmetricTopic {
  return symmetricTopic(`0x${bytesToHex(uncompressed(publicKey))}-contact-code`);
}

/**
 * Negotiated topic of two identities (ST-13): secret = X of ECDH(my identity, their identity); the
 * filter name is the lower-case hex of the secret (status-go hashes the hex string, not the raw bytes).
 */
export function negotiatedTopic(
  myPrivateKey: Uint8Array,
  theirPublicKey: Uint8Array,
): SymmetricTopic & {
  readonly secret: Uint8Array;
} {
  // Stryker disable next-line StringLiteral: the label only words the BadKey error message
  const secret = sharedX(myPrivateKey, theirPublicKey, 'identity key');
  return { ...symmetricTopic(bytesToHex(secret)), secret };
}
