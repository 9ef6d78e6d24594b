/** The multistream-select protocol id of secio. */
export const SECIO_PROTOCOL = '/secio/1.0.0';

/** Length of the random nonce in a Propose message (go-libp2p-secio and js-libp2p-secio use 16). */
export const NONCE_LENGTH = 16;

/** MAC keys are 20 bytes whatever the hash (a fixed size in every secio implementation). */
export const MAC_KEY_LENGTH = 20;

/** Bytes of the big-endian length prefix in front of every handshake message and data frame. */
export const LENGTH_PREFIX_BYTES = 4;

/** go-libp2p-secio refuses frames over 8 MiB (ciphertext + MAC); we use the same default. */
export const DEFAULT_MAX_FRAME_LENGTH = 8 * 1024 * 1024;

/**
 * Propose and Exchange messages are small (an RSA-4096 identity key and signature are about 1.1 KiB
 * together); 64 KiB leaves room while bounding what an unauthenticated peer can make us buffer.
 */
export const DEFAULT_MAX_HANDSHAKE_MESSAGE_LENGTH = 64 * 1024;

/** Plaintext per frame when we write: big writes are split so each frame stays well under the limit. */
export const DEFAULT_MAX_PLAINTEXT_PER_FRAME = 64 * 1024;

/**
 * When the ECDH secret starts with a zero byte, go-libp2p strips it and old js-libp2p keeps it, so the
 * two derive different keys. We then learn the peer's choice from its first frame; the side that would
 * otherwise speak first waits this long for that frame before assuming go's encoding.
 */
export const DEFAULT_AMBIGUOUS_SECRET_WAIT_MS = 1000;

export const SUPPORTED_EXCHANGES = ['P-256', 'P-384', 'P-521'] as const;
export const SUPPORTED_CIPHERS = ['AES-256', 'AES-128'] as const;
export const SUPPORTED_HASHES = ['SHA256', 'SHA512'] as const;

export type ExchangeName = (typeof SUPPORTED_EXCHANGES)[number];
export type CipherName = (typeof SUPPORTED_CIPHERS)[number];
export type HashName = (typeof SUPPORTED_HASHES)[number];
