import { bytesToHex } from '@status-ts/core';
import { convertPublicKey } from '@status-ts/crypto';
import { Enr } from '@status-ts/enr';
import { describe, expect, it } from 'vitest';
import {
  base32Encode,
  buildTree,
  DnsClient,
  entryHash,
  hashMatches,
  MemoryResolver,
  parseEntry,
  parseRoot,
  parseTreeUrl,
  rootSigningText,
  verifyRoot,
} from '../src/index.js';
import { rejection, SIGNER_KEY, thrown, vectors, zoneOf } from './helpers/fixtures.js';

const example = vectors.example_tree;
const SIGNER_URL: string = example.signer.url_that_verifies;

function exampleClient(): DnsClient {
  return new DnsClient({ resolver: new MemoryResolver(zoneOf(example.records, 'nodes.example.org')) });
}

describe('EIP-1459 example tree (DNS-01..04)', () => {
  it('names every entry base32(keccak256(txt)[:16])', () => {
    for (const r of example.records.filter((r: { name: string }) => r.name !== '@')) {
      expect(entryHash(r.txt)).toBe(r.name);
      expect(r.name).toHaveLength(26);
      expect(hashMatches(r.name, r.txt)).toBe(true);
    }
  });

  it('syncs enrtree://AKPYQIUQ…@nodes.example.org: 3 nodes, 1 link, seq 1', async () => {
    const tree = await exampleClient().syncTree(SIGNER_URL);
    expect(tree.seq).toBe(example.expected_sync_result.seq);
    expect(tree.enrs).toHaveLength(example.expected_sync_result.nodes);
    expect(tree.links).toEqual(example.expected_sync_result.links);
    expect(tree.domain).toBe('nodes.example.org');
    expect(bytesToHex(tree.publicKey)).toBe(example.signer.public_key_compressed);
    expect(tree.root.eRoot).toBe(example.root_parsed.e);
    expect(tree.root.lRoot).toBe(example.root_parsed.l);
    // Every record of the zone was fetched exactly as published.
    expect(tree.records).toEqual(zoneOf(example.records, 'nodes.example.org'));
    const decoded = example.leaves_decoded_computed;
    const byName = new Map(
      Object.entries(decoded).map(([name, v]) => [(v as { node_id: string }).node_id, name]),
    );
    for (const enr of tree.enrs) {
      const name = byName.get(enr.nodeIdHex)!;
      expect(name).toBeDefined();
      expect(bytesToHex(enr.publicKey)).toBe(decoded[name].secp256k1);
      expect(enr.seq).toBe(BigInt(decoded[name].seq));
    }
  });

  it('verifies the root against the printed key, and not against the URL in the spec text', async () => {
    const root = parseRoot(example.records[0].txt);
    expect(rootSigningText(root)).toBe(example.root_parsed.signed_text);
    expect(bytesToHex(root.signature)).toBe(example.root_parsed.signature_hex);
    expect(verifyRoot(root, parseTreeUrl(SIGNER_URL).publicKey)).toBe(true);
    expect(verifyRoot(root, parseTreeUrl(example.spec_text_url).publicKey)).toBe(false);
    const err = await rejection(exampleClient().syncTree(example.spec_text_url));
    expect(err.code).toBe('ERR_DNS_BAD_SIGNATURE');
  });

  it('the URL key AM5FCQ… decodes to the key computed in the vector file', () => {
    const { publicKey } = parseTreeUrl(example.spec_text_url);
    expect(`0x${bytesToHex(convertPublicKey(publicKey, 'uncompressed'))}`).toBe(
      example.am5fcq_key_uncompressed_computed,
    );
    expect(base32Encode(publicKey)).toBe('AM5FCQLWIZX2QFPNJAP7VUERCCRNGRHWZG3YYHIUV7BVDQ5FDPRT2');
  });

  it('our builder reproduces the example zone byte for byte (same key, same seq, RFC 6979 signature)', () => {
    const enrs = example.records
      .filter((r: { txt: string }) => r.txt.startsWith('enr:'))
      .map((r: { txt: string }) => Enr.decodeText(r.txt));
    const tree = buildTree({
      domain: 'nodes.example.org',
      privateKey: SIGNER_KEY,
      seq: 1,
      enrs,
      links: example.expected_sync_result.links,
    });
    expect(tree.url).toBe(SIGNER_URL);
    expect(tree.records()).toEqual(zoneOf(example.records, 'nodes.example.org'));
  });
});

describe("go-ethereum's bad-node tree (TestClientSyncTreeBadNode)", () => {
  // go-ethereum fails the whole sync here; we skip the leaf and report it (one bad leaf must not hide the rest).
  it('skips the leaf with ERR_DNS_BAD_RECORD: the root verifies, the leaf hash matches, the ENR does not decode', async () => {
    const bad = vectors.bad_node_tree;
    const leaf = bad.records.find((r: { txt: string }) => r.txt === 'enr:-----');
    expect(entryHash(leaf.txt)).toBe(leaf.name.slice(0, 26));
    const client = new DnsClient({ resolver: new MemoryResolver(zoneOf(bad.records, 'n')) });
    const synced = await client.syncTree(bad.origin.match(/enrtree:\/\/\S+@n/)![0]);
    expect(synced.skipped).toEqual([
      expect.objectContaining({ hash: 'INDMVBZEEQ4ESVYAKGIYU74EAA', name: 'INDMVBZEEQ4ESVYAKGIYU74EAA.n' }),
    ]);
    expect(synced.skipped[0]!.code).toBe('ERR_DNS_BAD_RECORD');
    expect(synced.skipped[0]!.message).toContain('ERR_ENR_');
    expect(synced.enrs.map((e) => e.encodeText())).not.toContain(leaf.txt);
    expect(client.stats.errors).toEqual({ ERR_DNS_BAD_RECORD: 1 });
  });
});

describe('parseRoot cases (go-ethereum tree_test.go)', () => {
  const [missingL, shortSig, good] = vectors.parse_root_cases;
  it('rejects a root without l= (syntax)', () => {
    expect(thrown(() => parseRoot(missingL.input)).code).toBe('ERR_DNS_BAD_RECORD');
  });
  it('rejects a 64-byte signature', () => {
    const err = thrown(() => parseRoot(shortSig.input));
    expect(err.code).toBe('ERR_DNS_BAD_SIGNATURE');
    expect(err.details).toMatchObject({ length: 64 });
  });
  it('parses a valid root', () => {
    const root = parseRoot(good.input);
    expect(root.eRoot).toBe(good.want.e);
    expect(root.lRoot).toBe(good.want.l);
    expect(root.seq).toBe(good.want.seq);
    expect(bytesToHex(root.signature)).toBe(good.want.sig);
  });
});

describe('parseEntry cases (go-ethereum tree_test.go)', () => {
  const codeFor = (wantError: string): string => {
    if (wantError === 'unknown entry') return 'ERR_DNS_UNKNOWN_ENTRY';
    return 'ERR_DNS_BAD_RECORD';
  };
  for (const c of vectors.parse_entry_cases) {
    it(`${JSON.stringify(c.input).slice(0, 60)} -> ${c.want_error ?? JSON.stringify(c.want).slice(0, 50)}`, () => {
      if (c.want_error) {
        const err = thrown(() => parseEntry(c.input));
        expect(err.code).toBe(codeFor(c.want_error));
        return;
      }
      const entry = parseEntry(c.input);
      if (c.want === 'valid enr entry') {
        expect(entry.kind).toBe('enr');
        expect(entry.kind === 'enr' && entry.enr.verify()).toBe(true);
      } else if (c.want.branch) {
        expect(entry).toEqual({ kind: 'branch', children: c.want.branch });
      } else {
        expect(entry.kind).toBe('link');
        if (entry.kind !== 'link') return;
        expect(entry.domain).toBe(c.want.link.domain);
        expect(bytesToHex(entry.publicKey)).toBe(c.want.link.public_key_compressed);
      }
    });
  }
});
