import { describe, expect, it, vi } from 'vitest';
import { cryptoBackends, forceNobleCrypto, initFastCrypto, keccak256 } from '../src/index.js';
import { loadNodeCrypto } from '../src/node-crypto.js';

describe('backend selection', () => {
  it('uses node:crypto at load, WASM keccak only after initFastCrypto(), noble when forced', async () => {
    const before = cryptoBackends();
    expect(before).toMatchObject({
      keccak256: 'noble',
      sha256: 'node',
      aesCtr: 'node',
      aesGcm: 'node',
      ecdh: 'node',
    });
    expect(before.aesEcb).toBe('noble');
    const hashBefore = keccak256(Uint8Array.of(1));

    const first = initFastCrypto();
    expect(initFastCrypto()).toBe(first); // one instantiation, shared promise
    const report = await first;
    expect(report.keccak256).toBe('wasm');
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
});
