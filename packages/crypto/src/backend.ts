import { instantiateKeccakWasm, type KeccakWasm } from './keccak-wasm.js';
import { loadNodeCrypto, type NodeCrypto, readEnv } from './node-crypto.js';
import { loadNativeSecp256k1, type NativeSecp256k1 } from './secp256k1-native.js';

/**
 * Fast-path selection. Every primitive with two implementations asks `fastNode()` / `fastKeccak()` /
 * `fastSecp256k1()` at call (or stream creation) time; they return undefined while the noble path is
 * forced or the fast backend is unavailable, so the public API is the same everywhere and only the
 * speed changes.
 *
 * - node:crypto is picked up synchronously at module load when running on Node (see node-crypto.ts).
 * - the WebAssembly Keccak (keccak-wasm.ts) and the native libsecp256k1 bindings (secp256k1-native.ts)
 *   load synchronously on first use; each is tried once and self-tested, and noble stays in use where
 *   they are missing. `initFastCrypto()` loads them ahead of time and reports the result.
 * - `STATUS_TS_CRYPTO=noble` in the environment, or `forceNobleCrypto(true)`, selects noble everywhere.
 */
const nodeCrypto: NodeCrypto | undefined = loadNodeCrypto();
const nodeHasSecp256k1: boolean = (() => {
  try {
    return nodeCrypto?.getCurves().includes('secp256k1') === true;
  } catch {
    return false;
  }
})();

/** OpenSSL names of the NIST curves nist-ecdh.ts uses; all three are in every OpenSSL build, checked anyway. */
const NODE_NIST_CURVES = ['prime256v1', 'secp384r1', 'secp521r1'];
const nodeHasNistCurves: boolean = (() => {
  try {
    const curves = nodeCrypto?.getCurves() ?? [];
    return NODE_NIST_CURVES.every((name) => curves.includes(name));
  } catch {
    return false;
  }
})();

let forceNoble = readEnv('STATUS_TS_CRYPTO') === 'noble';
let wasmKeccak: KeccakWasm | undefined | null = null; // null: not tried yet
let nativeSecp: NativeSecp256k1 | undefined | null = null;
let initPromise: Promise<CryptoBackendReport> | undefined;

/** node:crypto when the fast path is active, else undefined. */
export function fastNode(): NodeCrypto | undefined {
  return forceNoble ? undefined : nodeCrypto;
}

/** node:crypto with secp256k1 ECDH support, else undefined. */
export function fastNodeEcdh(): NodeCrypto | undefined {
  return forceNoble || !nodeHasSecp256k1 ? undefined : nodeCrypto;
}

/** node:crypto with P-256, P-384 and P-521 ECDH support, else undefined. */
export function fastNodeNistEcdh(): NodeCrypto | undefined {
  return forceNoble || !nodeHasNistCurves ? undefined : nodeCrypto;
}

const KECCAK_EMPTY_HEX = 'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470';

function loadKeccak(): KeccakWasm | undefined {
  const wasm = instantiateKeccakWasm();
  if (!wasm) return undefined;
  // Self-test before trusting it: Keccak-256 of the empty string.
  const state = new Uint8Array(200);
  let hex = '';
  for (const byte of wasm.squeeze256(state, 0)) hex += byte.toString(16).padStart(2, '0');
  return hex === KECCAK_EMPTY_HEX ? wasm : undefined;
}

/** The shared WebAssembly Keccak engine when available and not forced off, else undefined. */
export function fastKeccak(): KeccakWasm | undefined {
  if (forceNoble) return undefined;
  if (wasmKeccak === null) wasmKeccak = loadKeccak();
  return wasmKeccak;
}

/**
 * The backend `createKeccak256` and `keccak256` use right now, without loading anything else (unlike
 * `cryptoBackends()`): lets a caller that recycles hashers tell whether its spares still match.
 */
export function keccak256Backend(): 'wasm' | 'noble' {
  return fastKeccak() ? 'wasm' : 'noble';
}

/** The native libsecp256k1 bindings when available and not forced off, else undefined. */
export function fastSecp256k1(): NativeSecp256k1 | undefined {
  if (forceNoble) return undefined;
  if (nativeSecp === null) nativeSecp = loadNativeSecp256k1();
  return nativeSecp;
}

export type BackendName = 'native' | 'node' | 'wasm' | 'noble';

/** Which implementation each dual primitive uses right now. */
export interface CryptoBackendReport {
  /** keccak256 and createKeccak256: our WebAssembly Keccak-f where WebAssembly runs, else noble. */
  keccak256: 'wasm' | 'noble';
  sha256: 'node' | 'noble';
  hmacSha256: 'node' | 'noble';
  hmacSha512: 'node' | 'noble';
  hkdfSha256: 'node' | 'noble';
  pbkdf2Sha256: 'node' | 'noble';
  scrypt: 'node' | 'noble';
  /** sign, recoverPublicKey, verify, getPublicKey, ecdhCompressed: libsecp256k1 bindings or noble. */
  secp256k1: 'native' | 'noble';
  /** ecdhX and the ECIES key agreement: libsecp256k1, else node:crypto (OpenSSL), else noble. */
  ecdh: 'native' | 'node' | 'noble';
  /** nistEcdhKeyPair (P-256, P-384, P-521): node:crypto (OpenSSL), else noble. */
  nistEcdh: 'node' | 'noble';
  aesCtr: 'node' | 'noble';
  aesGcm: 'node' | 'noble';
  /** createAesEcbEncryptor (the RLPx MAC's block cipher): an OpenSSL ECB cipher on Node, else noble. */
  aesEcb: 'node' | 'noble';
  /** True while forceNobleCrypto(true) or STATUS_TS_CRYPTO=noble is in effect. */
  nobleForced: boolean;
}

/** Reports the backends (loading the lazy ones, which are synchronous, if not tried yet). */
export function cryptoBackends(): CryptoBackendReport {
  const node = fastNode() ? 'node' : 'noble';
  const native = fastSecp256k1() ? 'native' : 'noble';
  return {
    keccak256: fastKeccak() ? 'wasm' : 'noble',
    sha256: node,
    hmacSha256: node,
    hmacSha512: node,
    hkdfSha256: node,
    pbkdf2Sha256: node,
    scrypt: node,
    secp256k1: native,
    ecdh: native === 'native' ? 'native' : fastNodeEcdh() ? 'node' : 'noble',
    nistEcdh: fastNodeNistEcdh() ? 'node' : 'noble',
    aesCtr: node,
    aesGcm: node,
    aesEcb: node,
    nobleForced: forceNoble,
  };
}

/**
 * Forces (true) or releases (false) the pure-JS noble implementations for every primitive. For tests,
 * benchmarks and debugging; streams and hashers created earlier keep the backend they started with.
 */
export function forceNobleCrypto(enabled: boolean): void {
  forceNoble = enabled;
}

/**
 * Loads every optional fast path now (the WebAssembly Keccak and, on Node, the native secp256k1
 * bindings) instead of at first use, and reports the result. Both load synchronously, so calling this
 * is optional: it exists for callers that want the report or to pay the load cost up front. Safe to call
 * many times and everywhere; never rejects.
 */
export function initFastCrypto(): Promise<CryptoBackendReport> {
  initPromise ??= Promise.resolve().then(() => {
    if (wasmKeccak === null) wasmKeccak = loadKeccak();
    if (nativeSecp === null) nativeSecp = loadNativeSecp256k1();
    return cryptoBackends();
  });
  return initPromise;
}
