import { readEnv } from './node-crypto.js';

/**
 * The subset of the `secp256k1` npm package (N-API bindings to bitcoin-core's libsecp256k1) used by the
 * Node fast path. It is an optional dependency compiled at install time; where it is missing, failed
 * to build or cannot be loaded (browsers, React Native), the noble / node:crypto paths run.
 */
export interface NativeSecp256k1 {
  publicKeyCreate(privateKey: Uint8Array, compressed: boolean, output?: Uint8Array): Uint8Array;
  ecdsaSign(
    hash: Uint8Array,
    privateKey: Uint8Array,
    options?: object,
    output?: Uint8Array,
  ): { signature: Uint8Array; recid: number };
  ecdsaRecover(
    signature: Uint8Array,
    recid: number,
    hash: Uint8Array,
    compressed: boolean,
    output?: Uint8Array,
  ): Uint8Array;
  ecdsaVerify(signature: Uint8Array, hash: Uint8Array, publicKey: Uint8Array): boolean;
  ecdh(
    publicKey: Uint8Array,
    privateKey: Uint8Array,
    options: { hashfn: (x: Uint8Array, y: Uint8Array) => Uint8Array; xbuf: Uint8Array; ybuf: Uint8Array },
    output: Uint8Array,
  ): Uint8Array;
}

interface NodeProcessLike {
  versions?: { node?: string };
  getBuiltinModule?: (id: string) => unknown;
}

// The generator point, compressed: the self-test expects it as the public key of the scalar 1.
const G_COMPRESSED_HEX = '0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798';

/**
 * Loads the native bindings through `createRequire` (obtained with `process.getBuiltinModule`), so
 * bundlers never see the import; requires `secp256k1/bindings` directly because the package's main
 * entry silently falls back to a slow pure-JS `elliptic` build. `STATUS_TS_SECP256K1=noble` disables it.
 */
export function loadNativeSecp256k1(): NativeSecp256k1 | undefined {
  if (readEnv('STATUS_TS_SECP256K1') === 'noble') return undefined;
  try {
    const proc = (globalThis as { process?: NodeProcessLike }).process;
    if (typeof proc?.versions?.node !== 'string' || typeof proc.getBuiltinModule !== 'function') {
      return undefined;
    }
    const nodeModule = proc.getBuiltinModule('node:module') as
      | { createRequire(from: string): (id: string) => unknown }
      | undefined;
    if (typeof nodeModule?.createRequire !== 'function') return undefined;
    const lib = nodeModule.createRequire(import.meta.url)('secp256k1/bindings') as NativeSecp256k1;
    const one = new Uint8Array(32);
    one[31] = 1;
    const g = lib.publicKeyCreate(one, true);
    let hex = '';
    for (const byte of g) hex += byte.toString(16).padStart(2, '0');
    return hex === G_COMPRESSED_HEX ? lib : undefined;
  } catch {
    return undefined;
  }
}
