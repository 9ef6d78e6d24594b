import { bytesToHex } from '@status-ts/core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createKeccak256, initFastCrypto, type Keccak256Hasher, keccak256 } from '../src/index.js';
import { expectFastBackends, onPath, PATHS } from './helpers.js';

const hex = bytesToHex;

beforeAll(async () => {
  await initFastCrypto();
  expectFastBackends();
});

type Op = { kind: 'update'; data: Uint8Array } | { kind: 'digest' } | { kind: 'clone' };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((data) => ({ kind: 'update' as const, data })),
  fc.constant({ kind: 'digest' as const }),
  fc.constant({ kind: 'clone' as const }),
);

describe.each(PATHS)('Keccak256Hasher (%s path)', (path) => {
  it('any sequence of update/digest/clone matches one-shot keccak256 of what each hasher absorbed', () =>
    onPath(path, () => {
      fc.assert(
        fc.property(fc.array(opArb, { maxLength: 20 }), (ops) => {
          // Two live hashers: the original and the latest clone, each with a model of its input.
          let hashers: { h: Keccak256Hasher; absorbed: Uint8Array[] }[] = [
            { h: createKeccak256(), absorbed: [] },
          ];
          for (const op of ops) {
            const target = hashers[hashers.length - 1]!;
            if (op.kind === 'update') {
              expect(target.h.update(op.data)).toBe(target.h);
              target.absorbed.push(op.data);
            } else if (op.kind === 'digest') {
              expect(hex(target.h.digest())).toBe(hex(keccak256(...target.absorbed)));
            } else {
              hashers = [...hashers.slice(-1), { h: target.h.clone(), absorbed: [...target.absorbed] }];
            }
          }
          for (const { h, absorbed } of hashers) {
            expect(hex(h.digest())).toBe(hex(keccak256(...absorbed)));
            expect(hex(h.digest())).toBe(hex(keccak256(...absorbed))); // digest twice: state unchanged
          }
        }),
        { numRuns: 1000 },
      );
    }));

  it('the RLPx MAC pattern: update 16/32 bytes, digest without finalizing, keep going; clones are independent', () =>
    onPath(path, () => {
      const h = createKeccak256().update(new Uint8Array(32).fill(1));
      const forked = h.clone();
      const seen: Uint8Array[] = [new Uint8Array(32).fill(1)];
      for (let i = 0; i < 50; i++) {
        const block = new Uint8Array(i % 2 === 0 ? 16 : 32).fill(i);
        h.update(block);
        seen.push(block);
        expect(hex(h.digest())).toBe(hex(keccak256(...seen)));
      }
      expect(hex(forked.digest())).toBe(hex(keccak256(new Uint8Array(32).fill(1))));
    }));

  it('hashes multi-part and large inputs (more than one WASM heap chunk)', () =>
    onPath(path, () => {
      const big = new Uint8Array(70_000).map((_, i) => i * 7);
      const expected = onPath('noble', () => hex(keccak256(big)));
      expect(hex(keccak256(big))).toBe(expected);
      expect(hex(keccak256(big.subarray(0, 1000), big.subarray(1000)))).toBe(expected);
      expect(
        hex(createKeccak256().update(big.subarray(0, 33_333)).update(big.subarray(33_333)).digest()),
      ).toBe(expected);
    }));
});

describe('keccak backend switching', () => {
  it('hashers keep working (and agree) when hashers of both backends interleave', () => {
    const wasm = createKeccak256();
    const noble = onPath('noble', () => createKeccak256());
    const other = createKeccak256();
    for (let i = 0; i < 20; i++) {
      const data = new Uint8Array(i).fill(i);
      wasm.update(data);
      other.update(data.subarray(1));
      keccak256(data); // one-shot calls reuse the shared instance in between
      noble.update(data);
      expect(hex(wasm.digest())).toBe(hex(noble.digest()));
    }
  });
});
