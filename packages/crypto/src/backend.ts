import type { IHasher } from 'hash-wasm';
import { loadNodeCrypto, type NodeCrypto, readEnv } from './node-crypto.js';

/**
 * Fast-path selection. Every primitive with two implementations asks `fastNode()` / `fastKeccak()` at
 * call (or stream creation) time; both return undefined while the noble path is forced or the fast
 * backend is unavailable, so the public API is the same everywhere and only the speed changes.
 *
 * - node:crypto is picked up synchronously at module load when running on Node (see node-crypto.ts).
 * - the hash-wasm Keccak needs an async WebAssembly instantiation: it is used only after
 *   `await initFastCrypto()` resolved; until then keccak runs on noble.
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

let forceNoble = readEnv('STATUS_TS_CRYPTO') === 'noble';
let wasmKeccak: IHasher | undefined;
let initPromise: Promise<CryptoBackendReport> | undefined;

/** node:crypto when the fast path is active, else undefined. */
export function fastNode(): NodeCrypto | undefined {
  return forceNoble ? undefined : nodeCrypto;
}

/** node:crypto with secp256k1 ECDH support, else undefined. */
export function fastNodeEcdh(): NodeCrypto | undefined {
  return forceNoble || !nodeHasSecp256k1 ? undefined : nodeCrypto;
}

/** The shared hash-wasm Keccak-256 instance when ready and not forced off, else undefined. */
export function fastKeccak(): IHasher | undefined {
  return forceNoble ? undefined : wasmKeccak;
}

export type BackendName = 'node' | 'wasm' | 'noble';

/** Which implementation each dual primitive uses right now. */
export interface CryptoBackendReport {
  /** keccak256 and createKeccak256: hash-wasm after initFastCrypto(), noble before. */
  keccak256: 'wasm' | 'noble';
  sha256: 'node' | 'noble';
  hmacSha256: 'node' | 'noble';
  hkdfSha256: 'node' | 'noble';
  pbkdf2Sha256: 'node' | 'noble';
  scrypt: 'node' | 'noble';
  /** ecdhX and the ECIES key agreement. Signing, recovery and ecdhCompressed are always noble. */
  ecdh: 'node' | 'noble';
  aesCtr: 'node' | 'noble';
  aesGcm: 'node' | 'noble';
  /** Always noble: a single-block noble encrypt with a cached key schedule beats node:crypto's per-call cost. */
  aesEcb: 'noble';
  /** True while forceNobleCrypto(true) or STATUS_TS_CRYPTO=noble is in effect. */
  nobleForced: boolean;
}

export function cryptoBackends(): CryptoBackendReport {
  const node = fastNode() ? 'node' : 'noble';
  return {
    keccak256: fastKeccak() ? 'wasm' : 'noble',
    sha256: node,
    hmacSha256: node,
    hkdfSha256: node,
    pbkdf2Sha256: node,
    scrypt: node,
    ecdh: fastNodeEcdh() ? 'node' : 'noble',
    aesCtr: node,
    aesGcm: node,
    aesEcb: 'noble',
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

const KECCAK_EMPTY_HEX = 'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470';

/**
 * Instantiates the WebAssembly Keccak (hash-wasm) once; afterwards keccak256 and createKeccak256 use it.
 * Safe to call many times and everywhere: without WebAssembly it resolves and noble stays in use.
 * Never rejects.
 */
export function initFastCrypto(): Promise<CryptoBackendReport> {
  initPromise ??= (async () => {
    try {
      const { createKeccak } = await import('hash-wasm');
      const hasher = await createKeccak(256);
      // Self-test before trusting it: Keccak-256 of the empty string.
      hasher.init();
      if (hasher.digest('hex') === KECCAK_EMPTY_HEX) {
        hasher.init();
        wasmKeccak = hasher;
      }
    } catch {
      // No WebAssembly (some React Native engines) or a blocked instantiation: keep noble.
    }
    return cryptoBackends();
  })();
  return initPromise;
}
