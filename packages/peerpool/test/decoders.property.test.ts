import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPeerPoolError, PeerPoolErrorCode, targetId } from '../src/index.js';
import { parseCacheFile } from '../src/json-file/index.js';
import { makeEnr } from './helpers.js';

const GOOD = makeEnr().encodeText();

describe('decoders (property)', () => {
  it('parseCacheFile returns or throws ERR_PEERPOOL_BAD_CACHE_FILE for any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        try {
          parseCacheFile(text, 10);
        } catch (err) {
          expect(isPeerPoolError(err, PeerPoolErrorCode.BadCacheFile)).toBe(true);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('parseCacheFile never throws anything else on any JSON value, and keeps only valid records', () => {
    const entry = fc.oneof(
      fc.record({ enr: fc.constant(GOOD), at: fc.double() }),
      fc.record({ enr: fc.string(), at: fc.integer() }),
      fc.jsonValue(),
    );
    const file = fc.oneof(
      fc.jsonValue(),
      fc.record({
        version: fc.constantFrom(1, 1, 2),
        topics: fc.oneof(
          fc.dictionary(fc.string({ maxLength: 12 }), fc.array(entry, { maxLength: 4 })),
          fc.jsonValue(),
        ),
      }),
    );
    fc.assert(
      fc.property(file, (value) => {
        try {
          const { table } = parseCacheFile(JSON.stringify(value) ?? 'null', 10);
          for (const topic of table.topics()) {
            for (const peer of table.list(topic)) expect(peer.enr.encodeText()).toBe(GOOD);
          }
        } catch (err) {
          expect(isPeerPoolError(err, PeerPoolErrorCode.BadCacheFile)).toBe(true);
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it('targetId returns a 128-hex id or throws ERR_PEERPOOL_BAD_TARGET for any text', () => {
    const text = fc.oneof(
      fc.string(),
      fc.string().map((s) => `enode://${s}`),
      fc.string().map((s) => `enr:${s}`),
      fc.stringMatching(/^[0-9a-f]{128}$/).map((k) => `enode://${k}@127.0.0.1:30303`),
    );
    fc.assert(
      fc.property(text, (t) => {
        try {
          expect(targetId(t)).toMatch(/^[0-9a-f]{128}$/);
        } catch (err) {
          expect(isPeerPoolError(err, PeerPoolErrorCode.BadTarget)).toBe(true);
        }
      }),
      { numRuns: 2_000 },
    );
  });
});
