export {
  accountFromSeed,
  createAccount,
  type DeriveAccountOptions,
  deriveAccount,
  deriveWalletKey,
  type StatusAccount,
  type StatusKeys,
} from './account.js';
export {
  ADDRESS_LENGTH,
  isAddress,
  isValidChecksumAddress,
  parseAddress,
  privateKeyToAddress,
  publicKeyToAddress,
  publicKeyToAddressBytes,
  toChecksumAddress,
} from './address.js';
export { isThreeWordName, threeWordName, threeWordNameFromSeed } from './alias/three-word-name.js';
export {
  encodeData,
  encodeType,
  hashDomain,
  hashStruct,
  hashType,
  hashTypedData,
  recoverTypedDataAddress,
  signTypedData,
} from './eip712/hash.js';
export {
  EIP712_DOMAIN_TYPE,
  MAX_TYPED_DATA_DEPTH,
  type TypedData,
  type TypedDataField,
  type TypedDataOptions,
  type TypedDataTypes,
} from './eip712/types.js';
export { IdentityError, IdentityErrorCode } from './errors.js';
export {
  EXTENDED_KEY_VERSIONS,
  type ExtendedKeyKind,
  type ExtendedKeyRejection,
  MAX_EXTENDED_KEY_TEXT_LENGTH,
  type ParseExtendedKeyOptions,
  parseExtendedKey,
  toExtendedKey,
} from './extended-key.js';
export {
  CHAT_KEY_PATH,
  DEFAULT_WALLET_PATH,
  deriveKeyPair,
  derivePath,
  EIP1581_ROOT_PATH,
  type HDKey,
  type KeyPair,
  keyPairOf,
  seedToRoot,
  WALLET_ROOT_PATH,
  walletKeyPath,
} from './hd.js';
export {
  compressPublicKeyText,
  decompressPublicKeyText,
  MAX_KEY_TEXT_LENGTH,
  type MultibaseEncoding,
  type MultibaseKeyOptions,
  type ParseKeyTextOptions,
  type PublicKeyTextForm,
  parsePublicKey,
  publicKeyToHex,
  publicKeyToMultibase,
  SECP256K1_PUB_MULTICODEC,
  shortenCompressedKey,
} from './key-text.js';
export {
  DEFAULT_MNEMONIC_WORD_COUNT,
  entropyToMnemonic,
  generateMnemonic,
  MAX_MNEMONIC_TEXT_LENGTH,
  MNEMONIC_WORD_COUNTS,
  type MnemonicOptions,
  type MnemonicWordCount,
  mnemonicToEntropy,
  mnemonicToSeed,
  mnemonicToSeedAsync,
  normalizeMnemonic,
  parseMnemonic,
  validateMnemonic,
} from './mnemonic.js';
export {
  hashPersonalMessage,
  PERSONAL_MESSAGE_PREFIX,
  type PersonalMessage,
  recoverPersonalMessageAddress,
  recoverPersonalMessagePublicKey,
  signPersonalMessage,
} from './personal-message.js';
