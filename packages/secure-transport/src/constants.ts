/** Largest encoded `ProtocolMessage` accepted by `decodeProtocolMessage`, checked before decoding. */
export const MAX_PROTOCOL_MESSAGE_SIZE = 1024 * 1024;
/** Most entries in `bundles`, `direct_message` and a bundle's `signed_pre_keys` we accept. */
export const MAX_MAP_ENTRIES = 64;
/** Longest installation id we accept (status-go uses UUID strings, 36 characters). */
export const MAX_INSTALLATION_ID_LENGTH = 128;
/**
 * Installations stored per identity (`maxStoredInstallations`); beyond it the least recently seen go,
 * with their sessions. status-go sends to the 3 most recent (`MaxInstallations`) and keeps every row; 32
 * leaves room for a user's devices and reinstalls (each is a new id) while bounding what one identity,
 * announcing fresh ids in bundles or messages, can make us store.
 */
export const MAX_STORED_INSTALLATIONS = 32;

/** Compressed secp256k1 public key: identity, signed prekey, ephemeral and ratchet keys on the wire. */
export const PUBLIC_KEY_LENGTH = 33;

/** status-go encryptor `MaxSkip`: message keys one chain may skip before a message is refused. */
export const MAX_SKIP = 1000;
/** status-go encryptor `MaxKeep`: stored keys older than this many derived keys are deleted. */
export const MAX_KEEP = 3000;
/** status-go encryptor `MaxMessageKeysPerSession`: oldest stored keys are dropped beyond this count. */
export const MAX_MESSAGE_KEYS_PER_SESSION = 2000;

/** HKDF info of the root-key KDF (status-im/doubleratchet, EthereumCrypto.KdfRK). */
export const KDF_RK_INFO = 'rsZUpEuXUqqwXBvSy3EcievAh4cMj6QL';
/** HKDF info deriving enc key, auth key and IV from a message key (EthereumCrypto.deriveEncKeys). */
export const MESSAGE_KEYS_INFO = 'pcwSByyx2CRdryCffXJwy7xgVZWtW5Sh';

/** Map key of a direct message readable by any installation (DH fallback, no bundle known). */
export const NO_INSTALLATION_ID = 'none';
/** `SignedPreKey.protocol_version` status-go writes (protocol.go `protocolVersion`). */
export const PROTOCOL_VERSION = 1;

/** Partition count of the partitioned (contact-discovery-N) topic. */
export const TOPIC_PARTITIONS = 5000n;
