export {
  type CipherName,
  DEFAULT_AMBIGUOUS_SECRET_WAIT_MS,
  DEFAULT_MAX_FRAME_LENGTH,
  DEFAULT_MAX_HANDSHAKE_MESSAGE_LENGTH,
  DEFAULT_MAX_PLAINTEXT_PER_FRAME,
  type ExchangeName,
  type HashName,
  NONCE_LENGTH,
  SECIO_PROTOCOL,
  SUPPORTED_CIPHERS,
  SUPPORTED_EXCHANGES,
  SUPPORTED_HASHES,
} from './constants.js';
export { SecioError, SecioErrorCode } from './errors.js';
export type { SecretEncoding } from './handshake.js';
export { type DirectionKeys, stretchKeys } from './key-stretch.js';
export {
  decodeExchange,
  decodePropose,
  type Exchange,
  encodeExchange,
  encodePropose,
  MAX_ALGORITHM_LIST_LENGTH,
  MAX_NONCE_LENGTH,
  type Propose,
} from './protobuf.js';
export { Secio, type SecioComponents, type SecioExtensions, type SecioInit, secio } from './secio.js';
