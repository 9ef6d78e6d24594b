import { bytesToHex, constantTimeEqual, hexToBytes, utf8ToBytes } from '@status-ts/core';
import { aesCtr } from './aes-ctr.js';
import { assertByteLength, CryptoError, CryptoErrorCode } from './errors.js';
import { pbkdf2Sha256, scrypt, scryptMemory } from './hashes.js';
import { keccak256 } from './keccak.js';
import { randomBytes } from './random.js';
import { getPublicKey, isValidPrivateKey, PRIVATE_KEY_LENGTH } from './secp256k1.js';

/*
 * Web3 Secret Storage (keystore v3), as go-ethereum `accounts/keystore` writes and reads it:
 *   dk   = scrypt(password, salt, n, r, p, 32)  or  PBKDF2-HMAC-SHA256(password, salt, c, 32)
 *   ct   = AES-128-CTR(dk[0:16], iv, privateKey)
 *   mac  = keccak256(dk[16:32] || ct)
 */

export interface ScryptKdfParams {
  dklen: number;
  n: number;
  r: number;
  p: number;
  salt: string;
}

export interface Pbkdf2KdfParams {
  dklen: number;
  c: number;
  prf: 'hmac-sha256';
  salt: string;
}

/** A keystore v3 JSON object (field names as in go-ethereum; hex without 0x). */
export interface KeystoreV3 {
  version: 3;
  id: string;
  /** 20-byte address, lowercase hex without 0x (go-ethereum writes it; optional on input). */
  address?: string;
  crypto: {
    cipher: 'aes-128-ctr';
    cipherparams: { iv: string };
    ciphertext: string;
    kdf: 'scrypt' | 'pbkdf2';
    kdfparams: ScryptKdfParams | Pbkdf2KdfParams;
    mac: string;
  };
}

/** go-ethereum `StandardScryptN/P` (r = 8): about 256 MiB and a second or more per operation. */
export const KEYSTORE_SCRYPT_STANDARD = { n: 262_144, r: 8, p: 1 } as const;
/** go-ethereum `LightScryptN/P`: 4 MiB, for mobile and tests. */
export const KEYSTORE_SCRYPT_LIGHT = { n: 4_096, r: 8, p: 6 } as const;
/** Iterations used when encrypting with `kdf: 'pbkdf2'` (the Web3 Secret Storage example value). */
export const KEYSTORE_PBKDF2_ITERATIONS = 262_144;

export interface EncryptKeystoreOptions {
  /** Key derivation; default 'scrypt'. */
  kdf?: 'scrypt' | 'pbkdf2';
  /** scrypt cost; default KEYSTORE_SCRYPT_STANDARD. */
  scrypt?: { n: number; r: number; p: number };
  /** PBKDF2 iterations; default KEYSTORE_PBKDF2_ITERATIONS. */
  pbkdf2Iterations?: number;
  /** Fixed salt (default 32 random bytes), IV (default 16 random bytes) and id: for reproducible tests. */
  salt?: Uint8Array;
  iv?: Uint8Array;
  id?: string;
}

/**
 * What decryptKeystore accepts from a (possibly hostile) file before running its KDF. The defaults
 * admit everything go-ethereum writes (standard: 256 MiB, N*r*p = 2^21) with headroom.
 */
export interface KeystoreLimits {
  /** Largest scrypt memory, 128 * r * (N + p + 2) bytes. */
  maxScryptMemory: number;
  /** Largest scrypt work factor N * r * p. */
  maxScryptCost: number;
  maxPbkdf2Iterations: number;
  /** Largest salt in bytes. */
  maxSaltLength: number;
}

export const DEFAULT_KEYSTORE_LIMITS: Readonly<KeystoreLimits> = Object.freeze({
  maxScryptMemory: 1 << 30,
  maxScryptCost: 1 << 24,
  maxPbkdf2Iterations: 10_000_000,
  maxSaltLength: 1024,
});

export interface DecryptKeystoreOptions {
  limits?: Partial<KeystoreLimits>;
}

const DKLEN = 32;
const IV_LENGTH = 16;
const MAC_LENGTH = 32;
const SALT_LENGTH = 32;

/** Encrypts a 32-byte secp256k1 private key into a keystore v3 object (JSON.stringify it to store). */
export function encryptKeystore(
  privateKey: Uint8Array,
  password: string,
  options: EncryptKeystoreOptions = {},
): KeystoreV3 {
  if (!isValidPrivateKey(privateKey)) {
    throw new CryptoError(CryptoErrorCode.InvalidPrivateKey, 'private key must be 32 bytes in [1, n-1]');
  }
  const salt = options.salt ?? randomBytes(SALT_LENGTH);
  const iv = options.iv ?? randomBytes(IV_LENGTH);
  assertByteLength(iv, [IV_LENGTH], 'keystore IV');
  const passwordBytes = utf8ToBytes(password);

  const kdf = options.kdf ?? 'scrypt';
  let kdfparams: ScryptKdfParams | Pbkdf2KdfParams;
  let derived: Uint8Array;
  if (kdf === 'scrypt') {
    const { n, r, p } = options.scrypt ?? KEYSTORE_SCRYPT_STANDARD;
    derived = scrypt(passwordBytes, salt, { N: n, r, p, dkLen: DKLEN });
    kdfparams = { dklen: DKLEN, n, r, p, salt: bytesToHex(salt) };
  } else {
    const c = options.pbkdf2Iterations ?? KEYSTORE_PBKDF2_ITERATIONS;
    derived = pbkdf2Sha256(passwordBytes, salt, c, DKLEN);
    kdfparams = { dklen: DKLEN, c, prf: 'hmac-sha256', salt: bytesToHex(salt) };
  }
  const ciphertext = aesCtr(derived.subarray(0, 16), iv, privateKey);
  const mac = keccak256(derived.subarray(16, 32), ciphertext);
  return {
    version: 3,
    id: options.id ?? randomUuidV4(),
    address: bytesToHex(keccak256(getPublicKey(privateKey, 'raw')).subarray(12)),
    crypto: {
      cipher: 'aes-128-ctr',
      cipherparams: { iv: bytesToHex(iv) },
      ciphertext: bytesToHex(ciphertext),
      kdf,
      kdfparams,
      mac: bytesToHex(mac),
    },
  };
}

/**
 * Decrypts a keystore v3 object or JSON text and returns the 32-byte private key. Short keys written by
 * old tools (30/31 bytes, leading zeros dropped) are left-padded as go-ethereum does. Throws CryptoError
 * only: ERR_CRYPTO_BAD_MAC for a wrong password, ERR_CRYPTO_INVALID_KEYSTORE for malformed input,
 * ERR_CRYPTO_KEYSTORE_LIMIT when the KDF parameters exceed `options.limits`.
 */
export function decryptKeystore(
  keystore: KeystoreV3 | string,
  password: string,
  options: DecryptKeystoreOptions = {},
): Uint8Array {
  const limits = { ...DEFAULT_KEYSTORE_LIMITS, ...options.limits };
  const parsed = parseKeystore(keystore);
  const passwordBytes = utf8ToBytes(String(password));
  const derived = deriveKey(parsed, passwordBytes, limits);

  const mac = keccak256(derived.subarray(16, 32), parsed.ciphertext);
  if (!constantTimeEqual(mac, parsed.mac)) {
    throw new CryptoError(CryptoErrorCode.BadMac, 'keystore MAC mismatch: wrong password or corrupted file');
  }
  const plain = aesCtr(derived.subarray(0, 16), parsed.iv, parsed.ciphertext);
  const key = new Uint8Array(PRIVATE_KEY_LENGTH);
  key.set(plain, PRIVATE_KEY_LENGTH - plain.length);
  if (!isValidPrivateKey(key)) invalid('decrypted key is not a valid secp256k1 private key');
  if (parsed.address !== undefined) {
    const address = bytesToHex(keccak256(getPublicKey(key, 'raw')).subarray(12));
    if (address !== parsed.address) invalid('decrypted key does not match the keystore address');
  }
  return key;
}

// ---------------------------------------------------------------- parsing (hostile input)

interface ParsedKeystore {
  kdf:
    | { kind: 'scrypt'; n: number; r: number; p: number; dklen: number; salt: Uint8Array }
    | { kind: 'pbkdf2'; c: number; dklen: number; salt: Uint8Array };
  iv: Uint8Array;
  ciphertext: Uint8Array;
  mac: Uint8Array;
  address: string | undefined;
}

function invalid(message: string, details?: Record<string, unknown>): never {
  throw new CryptoError(CryptoErrorCode.InvalidKeystore, message, details ? { details } : {});
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `field` is the value's JSON path (`crypto.cipherparams.iv`), reported in `details.field`. */
function hexField(value: unknown, field: string, lengths?: { min: number; max: number }): Uint8Array {
  if (typeof value !== 'string') invalid(`keystore ${field} must be a hex string`, { field });
  let bytes: Uint8Array;
  try {
    bytes = hexToBytes(value);
  } catch {
    invalid(`keystore ${field} is not valid hex`, { field });
  }
  if (lengths && (bytes.length < lengths.min || bytes.length > lengths.max)) {
    invalid(`keystore ${field} has ${bytes.length} bytes`, { field, ...lengths, actual: bytes.length });
  }
  return bytes;
}

function intField(value: unknown, field: string): number {
  // Number.isSafeInteger is false for anything that is not a number.
  if (!Number.isSafeInteger(value) || (value as number) < 1) {
    invalid(`keystore ${field} must be a positive integer`, { field });
  }
  return value as number;
}

function parseKeystore(input: unknown): ParsedKeystore {
  let json = input;
  if (typeof input === 'string') {
    try {
      json = JSON.parse(input);
    } catch (cause) {
      throw new CryptoError(CryptoErrorCode.InvalidKeystore, 'keystore is not valid JSON', { cause });
    }
  }
  if (!isRecord(json)) invalid('keystore must be a JSON object');
  if (json.version !== 3) invalid('only keystore version 3 is supported', { version: json.version });
  // Go's JSON decoding is case-insensitive; MyEtherWallet and others write "Crypto".
  const crypto = json.crypto ?? json.Crypto;
  if (!isRecord(crypto)) invalid('keystore has no crypto section');
  if (crypto.cipher !== 'aes-128-ctr') invalid('unsupported keystore cipher', { cipher: crypto.cipher });
  const cipherparams = crypto.cipherparams;
  if (!isRecord(cipherparams)) invalid('keystore has no cipherparams');
  const iv = hexField(cipherparams.iv, 'crypto.cipherparams.iv', { min: IV_LENGTH, max: IV_LENGTH });
  const ciphertext = hexField(crypto.ciphertext, 'crypto.ciphertext', { min: 1, max: PRIVATE_KEY_LENGTH });
  const mac = hexField(crypto.mac, 'crypto.mac', { min: MAC_LENGTH, max: MAC_LENGTH });
  const params = crypto.kdfparams;
  if (!isRecord(params)) invalid('keystore has no kdfparams');
  const dklen = intField(params.dklen, 'crypto.kdfparams.dklen');
  if (dklen < DKLEN || dklen > 64) invalid('keystore dklen must be in [32, 64]', { dklen });
  const salt = hexField(params.salt, 'crypto.kdfparams.salt'); // any length here; maxSaltLength is checked before the KDF

  let address: string | undefined;
  if (json.address !== undefined) {
    if (typeof json.address !== 'string') invalid('keystore address must be a string');
    address = json.address.toLowerCase().replace(/^0x/, '');
    if (!/^[0-9a-f]{40}$/.test(address)) invalid('keystore address must be 20 bytes of hex');
  }

  if (crypto.kdf === 'scrypt') {
    const n = intField(params.n, 'crypto.kdfparams.n');
    const r = intField(params.r, 'crypto.kdfparams.r');
    const p = intField(params.p, 'crypto.kdfparams.p');
    // Stryker disable next-line StringLiteral: deriveKey only tests kind === 'pbkdf2'; any other kind runs scrypt
    return { kdf: { kind: 'scrypt', n, r, p, dklen, salt }, iv, ciphertext, mac, address };
  }
  if (crypto.kdf === 'pbkdf2') {
    if (params.prf !== 'hmac-sha256') invalid('unsupported pbkdf2 prf', { prf: params.prf });
    const c = intField(params.c, 'crypto.kdfparams.c');
    return { kdf: { kind: 'pbkdf2', c, dklen, salt }, iv, ciphertext, mac, address };
  }
  return invalid('unsupported keystore kdf', { kdf: crypto.kdf });
}

function limitExceeded(message: string, details: Record<string, unknown>): never {
  throw new CryptoError(CryptoErrorCode.KeystoreLimitExceeded, message, { details });
}

function deriveKey(parsed: ParsedKeystore, password: Uint8Array, limits: KeystoreLimits): Uint8Array {
  const { kdf } = parsed;
  if (kdf.salt.length > limits.maxSaltLength) {
    limitExceeded('keystore salt too long', { length: kdf.salt.length, limit: limits.maxSaltLength });
  }
  if (kdf.kind === 'pbkdf2') {
    if (kdf.c > limits.maxPbkdf2Iterations) {
      limitExceeded('keystore pbkdf2 iteration count too high', {
        c: kdf.c,
        limit: limits.maxPbkdf2Iterations,
      });
    }
    return pbkdf2Sha256(password, kdf.salt, kdf.c, kdf.dklen);
  }
  const { n, r, p } = kdf;
  if (n < 2 || !Number.isInteger(Math.log2(n)))
    invalid('keystore scrypt n must be a power of two > 1', { n });
  const memory = scryptMemory(n, r, p);
  if (memory > limits.maxScryptMemory) {
    limitExceeded('keystore scrypt memory too high', { memory, limit: limits.maxScryptMemory });
  }
  if (n * r * p > limits.maxScryptCost) {
    limitExceeded('keystore scrypt cost too high', { cost: n * r * p, limit: limits.maxScryptCost });
  }
  return scrypt(password, kdf.salt, { N: n, r, p, dkLen: kdf.dklen, maxMemory: limits.maxScryptMemory });
}

/** RFC 4122 version 4 UUID from the CSPRNG (crypto.randomUUID is missing on some React Native engines). */
function randomUuidV4(): string {
  const b = randomBytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = bytesToHex(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
