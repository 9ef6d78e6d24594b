/** Message ids (SHA-256) are 32 bytes; acks, offers and requests carry nothing else. */
export const MESSAGE_ID_LENGTH = 32;

/** Domain prefix of the message id hash: `sha256("MESSAGE_ID" || group_id || timestamp LE64 || body)`. */
export const MESSAGE_ID_PREFIX = new TextEncoder().encode('MESSAGE_ID');

/**
 * Largest payload we decode or build, in bytes. Waku v1 nodes accept at most 1 MiB per envelope by default,
 * and a payload travels inside one envelope, so nothing larger can arrive from a Status peer.
 */
export const MAX_PAYLOAD_SIZE = 1024 * 1024;

/**
 * Most records (acks + offers + requests + messages) one payload may hold. A 1 MiB payload of 32-byte ids
 * holds about 30,000 of them; the limit stops a payload of tiny empty messages from costing 300,000 objects.
 */
export const MAX_PAYLOAD_RECORDS = 32_768;

/** Longest group id we accept; Status group ids are 32 bytes (Keccak-256). */
export const MAX_GROUP_ID_LENGTH = 64;

/** Longest peer id: Status uses 64- or 65-byte public keys; any shorter byte id works too. */
export const MAX_PEER_ID_LENGTH = 128;

/** Epoch length of status-go's datasync ticker. */
export const STATUS_EPOCH_MS = 300;

/**
 * Sends of one record before the node gives up and emits `give-up` (status-im/mvds `MaxSendCount`): with the
 * Status backoff the last retry comes about five days after the first send and the give-up five days later.
 */
export const DEFAULT_MAX_SENDS = 14;

/** Most due records one epoch handles; the rest stay due for the next epoch (bounds the work per tick). */
export const MAX_DUE_PER_EPOCH = 10_000;
