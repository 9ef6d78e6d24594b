import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  base32Decode,
  base32Encode,
  buildTree,
  DnsClient,
  DnsDiscoveryError,
  entryHash,
  hashMatches,
  MemoryResolver,
  parseEntry,
  parseRoot,
  parseTreeUrl,
  type Resolver,
} from '../src/index.js';
import { SIGNER_KEY, testEnrs, vectors } from './helpers/fixtures.js';

const RUNS = 1_000;

/** Calls `fn`; anything thrown must be a DnsDiscoveryError. Returns whether it parsed. */
function onlyTyped(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch (err) {
    if (!(err instanceof DnsDiscoveryError)) throw err;
    return false;
  }
}

const pool = testEnrs(60, 'prop');
const sample = buildTree({
  domain: 'p.example',
  privateKey: SIGNER_KEY,
  seq: 1,
  enrs: pool.slice(0, 20),
  links: [vectors.example_tree.signer.url_that_verifies],
});
const validTexts: string[] = [
  ...vectors.example_tree.records.map((r: { txt: string }) => r.txt),
  ...[...sample.entries.values()].slice(0, 6),
  sample.rootText,
];

/** A valid text with a few random edits (replace, insert, delete, truncate). */
const mutated = fc
  .tuple(
    fc.constantFrom(...validTexts),
    fc.array(
      fc.tuple(
        fc.constantFrom('replace', 'insert', 'delete', 'truncate'),
        fc.nat(),
        fc.string({ maxLength: 2 }),
      ),
      { minLength: 1, maxLength: 4 },
    ),
  )
  .map(([text, edits]) => {
    let out = text;
    for (const [op, at, chars] of edits) {
      const i = out.length === 0 ? 0 : at % out.length;
      if (op === 'replace') out = out.slice(0, i) + chars + out.slice(i + 1);
      else if (op === 'insert') out = out.slice(0, i) + chars + out.slice(i);
      else if (op === 'delete') out = out.slice(0, i) + out.slice(i + 1);
      else out = out.slice(0, i);
    }
    return { original: text, text: out };
  });

const prefixed = fc
  .tuple(
    fc.constantFrom('enrtree-root:v1 ', 'enrtree-branch:', 'enrtree://', 'enr:', 'enr:-', ''),
    fc.oneof(fc.string({ maxLength: 120 }), fc.stringMatching(/^[A-Za-z0-9_=@., -]{0,160}$/)),
  )
  .map(([p, s]) => p + s);

describe('parsers raise only typed errors (>= 1,000 runs each)', () => {
  it('parseEntry, parseRoot and parseTreeUrl on random and prefixed text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), prefixed), (text) => {
        onlyTyped(() => parseEntry(text));
        onlyTyped(() => parseRoot(text));
        onlyTyped(() => parseTreeUrl(text));
      }),
      { numRuns: RUNS },
    );
  });

  it('on mutated valid records: typed errors, and a changed text never matches the original name', () => {
    fc.assert(
      fc.property(mutated, ({ original, text }) => {
        onlyTyped(() => parseEntry(text));
        onlyTyped(() => parseRoot(text));
        if (text !== original) expect(hashMatches(entryHash(original), text)).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it('base32: decode(encode(bytes)) = bytes; random text decodes or fails typed', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.string({ maxLength: 60 }), (bytes, text) => {
        const encoded = base32Encode(bytes);
        expect(base32Decode(encoded)).toEqual(bytes);
        expect(encoded).toMatch(/^[A-Z2-7]*$/);
        if (onlyTyped(() => base32Decode(text))) expect(base32Encode(base32Decode(text))).toBe(text);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('builder -> resolver -> client round trip (>= 1,000 runs)', () => {
  // One client for all runs: leaves are content-addressed, so each pool record is fetched and verified
  // once and then served from the cache; roots and branches differ per run and are fetched every time.
  let zone = new MemoryResolver();
  const resolver: Resolver = { resolveTxt: (name, options) => zone.resolveTxt(name, options) };
  const client = new DnsClient({ resolver, cacheSize: 10_000 });
  let run = 0;

  it('gives back exactly the set of records and links', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.subarray(pool, { maxLength: 60 }),
        fc.integer({ min: 2, max: 13 }),
        fc.integer({ min: 1, max: 255 }),
        fc.boolean(),
        async (enrs, maxChildren, chunkSize, withLink) => {
          run++;
          const domain = `t${run}.example`;
          const links = withLink ? [vectors.example_tree.signer.url_that_verifies] : [];
          const tree = buildTree({ domain, privateKey: SIGNER_KEY, seq: run, enrs, links, maxChildren });
          zone = new MemoryResolver(tree.records(), { chunkSize });
          const result = await client.syncTree(tree.url);
          expect(result.enrs.map((e) => e.nodeIdHex).sort()).toEqual(enrs.map((e) => e.nodeIdHex).sort());
          expect(result.links).toEqual(links);
          expect(result.seq).toBe(run);
          expect(result.records).toEqual(tree.records());
        },
      ),
      { numRuns: RUNS },
    );
  });
});
