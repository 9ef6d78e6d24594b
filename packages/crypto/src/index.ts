export { AES_BLOCK_SIZE, type AesCtrStream, aesCtr, createAesCtr } from './aes-ctr.js';
export { type AesBlockEncryptor, createAesEcbEncryptor } from './aes-ecb.js';
export { aesGcmOpen, aesGcmSeal, GCM_NONCE_LENGTH, GCM_TAG_LENGTH } from './aes-gcm.js';
export {
  type BackendName,
  type CryptoBackendReport,
  cryptoBackends,
  forceNobleCrypto,
  initFastCrypto,
  keccak256Backend,
} from './backend.js';
export { ECIES_OVERHEAD, type EciesEncryptOptions, eciesDecrypt, eciesEncrypt } from './ecies.js';
export { CryptoError, CryptoErrorCode } from './errors.js';
export {
  CONCAT_KDF_MAX_LENGTH,
  concatKdfSha256,
  HKDF_SHA256_MAX_LENGTH,
  hkdfSha256,
  hmacSha256,
  hmacSha512,
  KDF_MAX_OUTPUT_LENGTH,
  PBKDF2_MAX_ITERATIONS,
  pbkdf2Sha256,
  SCRYPT_MAX_MEMORY,
  type ScryptParams,
  scrypt,
  scryptMemory,
  sha256,
} from './hashes.js';
export {
  HmacSha256Key,
  hkdfSha256KeyedSalt,
  hmacSha256Into,
  hmacSha256Pair,
} from './hmac-small.js';
export {
  createKeccak256,
  createKeccak256SuffixHasher,
  KECCAK256_LENGTH,
  type Keccak256Hasher,
  type Keccak256SuffixHasher,
  keccak256,
} from './keccak.js';
export {
  DEFAULT_KEYSTORE_LIMITS,
  type DecryptKeystoreOptions,
  decryptKeystore,
  type EncryptKeystoreOptions,
  encryptKeystore,
  KEYSTORE_PBKDF2_ITERATIONS,
  KEYSTORE_SCRYPT_LIGHT,
  KEYSTORE_SCRYPT_STANDARD,
  type KeystoreLimits,
  type KeystoreV3,
  type Pbkdf2KdfParams,
  type ScryptKdfParams,
} from './keystore.js';
export {
  NIST_COORDINATE_LENGTH,
  NIST_CURVES,
  type NistCurve,
  type NistEcdhKeyPair,
  nistEcdhKeyPair,
} from './nist-ecdh.js';
export { randomBytes } from './random.js';
export {
  COMPRESSED_PUBLIC_KEY_LENGTH,
  convertPublicKey,
  type EphemeralAgreement,
  ecdhCompressed,
  ecdhX,
  ephemeralAgreement,
  generatePrivateKey,
  getPublicKey,
  isValidPrivateKey,
  isValidPublicKey,
  PRIVATE_KEY_LENGTH,
  type PublicKeyForm,
  RAW_PUBLIC_KEY_LENGTH,
  recoverPublicKey,
  SIGNATURE_LENGTH,
  sign,
  signCompact,
  UNCOMPRESSED_PUBLIC_KEY_LENGTH,
  verify,
} from './secp256k1.js';
export { SHAKE256_DEFAULT_LENGTH, SHAKE256_MAX_LENGTH, shake256 } from './shake.js';
export {
  decryptSymmetric,
  encryptSymmetric,
  SYMMETRIC_KEY_LENGTH,
  SYMMETRIC_KEY_PBKDF2_ITERATIONS,
  SYMMETRIC_OVERHEAD,
  symmetricKeyFromPassword,
} from './symmetric.js';
