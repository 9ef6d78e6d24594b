import { describe, expect, it, vi } from 'vitest';
import { cryptoBackends, forceNobleCrypto, initFastCrypto, keccak256 } from '../src/index.js';
import { instantiateKeccakWasm } from '../src/keccak-wasm.js';
import { loadNodeCrypto } from '../src/node-crypto.js';
import { loadNativeSecp256k1 } from '../src/secp256k1-native.js';

describe('backend selection', () => {
  it('uses node:crypto at load, the WASM keccak and native secp256k1 from first use, noble when forced', async () => {
    const hashBefore = keccak256(Uint8Array.of(1));
    const before = cryptoBackends();
    expect(before).toMatchObject({
      keccak256: 'wasm',
      sha256: 'node',
      aesCtr: 'node',
      aesGcm: 'node',
      secp256k1: 'native',
      ecdh: 'native',
    });
    expect(before.aesEcb).toBe('node');

    const first = initFastCrypto();
    expect(initFastCrypto()).toBe(first); // one shared promise
    const report = await first;
    expect(report).toEqual(before);
    expect(cryptoBackends()).toEqual(report);
    expect(keccak256(Uint8Array.of(1))).toEqual(hashBefore);

    forceNobleCrypto(true);
    try {
      const forced = cryptoBackends();
      expect(forced.nobleForced).toBe(true);
      for (const [name, value] of Object.entries(forced))
        if (name !== 'nobleForced') expect(value).toBe('noble');
      expect(keccak256(Uint8Array.of(1))).toEqual(hashBefore);
    } finally {
      forceNobleCrypto(false);
    }
    expect(cryptoBackends().keccak256).toBe('wasm');
  });
});

describe('environment detection', () => {
  it('STATUS_TS_CRYPTO=noble forces noble from module load', async () => {
    vi.stubEnv('STATUS_TS_CRYPTO', 'noble');
    try {
      vi.resetModules();
      const fresh = await import('../src/backend.js');
      expect(fresh.cryptoBackends().nobleForced).toBe(true);
      expect(fresh.fastNode()).toBeUndefined();
      expect(fresh.fastKeccak()).toBeUndefined();
      expect(fresh.fastSecp256k1()).toBeUndefined();
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });

  it('STATUS_TS_SECP256K1=noble turns off only the native secp256k1 (ECDH falls back to node:crypto)', async () => {
    vi.stubEnv('STATUS_TS_SECP256K1', 'noble');
    try {
      vi.resetModules();
      const fresh = await import('../src/backend.js');
      expect(fresh.cryptoBackends()).toMatchObject({ secp256k1: 'noble', ecdh: 'node', keccak256: 'wasm' });
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });

  it('without process.getBuiltinModule (browsers, React Native) node:crypto is not loaded', () => {
    const real = globalThis.process;
    try {
      vi.stubGlobal('process', { versions: {}, env: {} });
      expect(loadNodeCrypto()).toBeUndefined();
      vi.stubGlobal('process', undefined);
      expect(loadNodeCrypto()).toBeUndefined();
      vi.stubGlobal('process', {
        versions: { node: '20' },
        getBuiltinModule: () => {
          throw new Error('blocked');
        },
      });
      expect(loadNodeCrypto()).toBeUndefined();
    } finally {
      vi.unstubAllGlobals();
      globalThis.process = real;
    }
    expect(loadNodeCrypto()).toBeDefined();
  });

  it('without process.getBuiltinModule the native secp256k1 is not loaded; without WebAssembly no WASM keccak', () => {
    const real = globalThis.process;
    try {
      vi.stubGlobal('process', { versions: {}, env: {} });
      expect(loadNativeSecp256k1()).toBeUndefined();
      vi.stubGlobal('process', { versions: { node: '20' }, env: {}, getBuiltinModule: () => undefined });
      expect(loadNativeSecp256k1()).toBeUndefined();
    } finally {
      vi.unstubAllGlobals();
      globalThis.process = real;
    }
    expect(loadNativeSecp256k1()).toBeDefined();
    vi.stubGlobal('WebAssembly', undefined);
    try {
      expect(instantiateKeccakWasm()).toBeUndefined();
    } finally {
      vi.unstubAllGlobals();
    }
    expect(instantiateKeccakWasm()).toBeDefined();
  });
});
