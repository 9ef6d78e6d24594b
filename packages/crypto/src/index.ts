export { CryptoError, CryptoErrorCode } from './errors.js';
export {
  hkdfSha256,
  hmacSha256,
  keccak256,
  pbkdf2Sha256,
  type ScryptParams,
  scrypt,
  sha256,
} from './hashes.js';
export { randomBytes } from './random.js';
export {
  COMPRESSED_PUBLIC_KEY_LENGTH,
  convertPublicKey,
  ecdhCompressed,
  ecdhX,
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
