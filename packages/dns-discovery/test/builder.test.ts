import { describe, expect, it } from 'vitest';
import {
  BRANCH_PREFIX,
  buildTree,
  DEFAULT_MAX_CHILDREN,
  DnsClient,
  entryHash,
  formatDnsmasqConfig,
  MemoryResolver,
  parseEntry,
  parseRoot,
  parseTreeUrl,
  publishTree,
  verifyRoot,
} from '../src/index.js';
import { SIGNER_KEY, testEnrs, testKey, thrown } from './helpers/fixtures.js';

const DOMAIN = 'nodes.test.example';
const build = (count: number, extra: Partial<Parameters<typeof buildTree>[0]> = {}) =>
  buildTree({ domain: DOMAIN, privateKey: SIGNER_KEY, seq: 1, enrs: testEnrs(count), ...extra });

function branches(tree: ReturnType<typeof build>): string[][] {
  return [...tree.entries.values()]
    .filter((t) => t.startsWith(BRANCH_PREFIX))
    .map((t) => (parseEntry(t) as { children: readonly string[] }).children as string[]);
}

describe('buildTree (DNS-07)', () => {
  it('signs the root with the given key; the URL carries its compressed public key', () => {
    const tree = build(3);
    expect(parseTreeUrl(tree.url).domain).toBe(DOMAIN);
    expect(verifyRoot(parseRoot(tree.rootText), parseTreeUrl(tree.url).publicKey)).toBe(true);
    expect(verifyRoot(tree.root, parseTreeUrl(build(3, { privateKey: testKey(1) }).url).publicKey)).toBe(
      false,
    );
  });

  it('names every entry by its hash and keeps each record under 512 characters', () => {
    const tree = build(200);
    for (const [hash, text] of tree.entries) {
      expect(entryHash(text)).toBe(hash);
      expect(text.length).toBeLessThan(512);
    }
    expect(tree.rootText.length).toBeLessThan(512);
  });

  it('puts at most 13 hashes in a branch and nests branches as needed', () => {
    expect(DEFAULT_MAX_CHILDREN).toBe(13);
    const tree = build(200);
    expect(Math.max(...branches(tree).map((b) => b.length))).toBe(13);
    // 200 leaves -> 16 branches -> 2 branches -> top: 19 branches (+ the empty link root)
    expect(branches(tree).length).toBe(19 + 1);
    // 13 leaves, 4 per branch: groups 4+4+4+1 (a lone leaf is not wrapped) -> 3 branches, then the top
    expect(build(13, { maxChildren: 4 }).entries.size).toBe(13 + 3 + 1 + 1);
  });

  it('handles the small cases like go-ethereum: no leaf -> empty branch, one leaf -> the leaf is the root', () => {
    const empty = build(0);
    expect(empty.entries.get(empty.root.eRoot)).toBe(BRANCH_PREFIX);
    expect(empty.root.eRoot).toBe(empty.root.lRoot);
    const one = build(1);
    expect(one.entries.get(one.root.eRoot)).toBe(one.enrs[0]!.encodeText());
  });

  it('sorts records by node id and links by URL; identical duplicates collapse', () => {
    const enrs = testEnrs(5);
    const links = [
      build(0, { domain: 'z.example' }).url,
      build(0, { domain: 'a.example', privateKey: testKey(4) }).url,
    ];
    const tree = build(0, { enrs: [...enrs].reverse().concat(enrs[0]!), links });
    expect(tree.enrs.map((e) => e.nodeIdHex)).toEqual(enrs.map((e) => e.nodeIdHex).sort());
    expect(tree.links).toEqual([...links].sort());
    expect(build(0, { enrs: enrs.map((e) => e.encodeText()) }).root).toEqual(build(0, { enrs }).root);
  });

  it('rejects bad input with typed errors', () => {
    const enr = testEnrs(1)[0]!;
    const newer = enr.with(testKey(0), { tcp: 1 });
    expect(thrown(() => build(0, { enrs: [enr, newer] })).code).toBe('ERR_DNS_INVALID_INPUT');
    expect(thrown(() => build(0, { enrs: ['enr:xx'] })).code).toBe('ERR_DNS_INVALID_INPUT');
    expect(thrown(() => build(0, { links: ['enrtree://x'] })).code).toBe('ERR_DNS_INVALID_URL');
    expect(thrown(() => build(1, { domain: 'bad domain' })).code).toBe('ERR_DNS_INVALID_INPUT');
    expect(thrown(() => build(1, { seq: -1 })).code).toBe('ERR_DNS_INVALID_INPUT');
    expect(thrown(() => build(1, { seq: 1.5 })).code).toBe('ERR_DNS_INVALID_INPUT');
    expect(thrown(() => build(3, { maxChildren: 1 })).code).toBe('ERR_DNS_INVALID_INPUT');
  });

  it('maxChildren and maxTxtLength: 20 hashes per branch do not fit 512 characters', () => {
    expect(thrown(() => build(40, { maxChildren: 20 })).code).toBe('ERR_DNS_TXT_TOO_LARGE');
    expect(
      Math.max(...branches(build(40, { maxChildren: 20, maxTxtLength: 600 })).map((b) => b.length)),
    ).toBe(20);
    // An ENR leaf is over 100 characters: a tiny limit refuses it.
    expect(thrown(() => build(1, { maxTxtLength: 100 })).code).toBe('ERR_DNS_TXT_TOO_LARGE');
  });

  it('round-trips through the client with links', async () => {
    const link = build(0, { domain: 'other.example', privateKey: testKey(8) }).url;
    const tree = build(50, { links: [link] });
    const synced = await new DnsClient({ resolver: new MemoryResolver(tree.toJSON()) }).syncTree(tree.url);
    expect(synced.enrs.map((e) => e.encodeText()).sort()).toEqual(
      tree.enrs.map((e) => e.encodeText()).sort(),
    );
    expect(synced.links).toEqual([link]);
  });
});

describe('publishTree: seq increases on change only', () => {
  it('starts at 1, keeps seq when nothing changed, increments when records or links change', () => {
    const enrs = testEnrs(4);
    const v1 = publishTree(undefined, { domain: DOMAIN, privateKey: SIGNER_KEY, enrs });
    expect(v1.seq).toBe(1);
    const same = publishTree(v1, { domain: DOMAIN, privateKey: SIGNER_KEY, enrs: [...enrs].reverse() });
    expect(same.seq).toBe(1);
    expect(same.rootText).toBe(v1.rootText);
    const v2 = publishTree(v1, { domain: DOMAIN, privateKey: SIGNER_KEY, enrs: enrs.slice(1) });
    expect(v2.seq).toBe(2);
    const link = build(0, { domain: 'x.example', privateKey: testKey(5) }).url;
    const v3 = publishTree(v2, {
      domain: DOMAIN,
      privateKey: SIGNER_KEY,
      enrs: enrs.slice(1),
      links: [link],
    });
    expect(v3.seq).toBe(3);
    const updated = enrs[1]!.with(testKey(1), { udp: 1 });
    const v4 = publishTree(v3, {
      domain: DOMAIN,
      privateKey: SIGNER_KEY,
      enrs: [updated, ...enrs.slice(2)],
      links: [link],
    });
    expect(v4.seq).toBe(4);
    // A previous tree known only by its root record (e.g. read back from DNS) works too.
    expect(
      publishTree(
        { root: parseRoot(v4.rootText) },
        { domain: DOMAIN, privateKey: SIGNER_KEY, enrs: [updated, ...enrs.slice(2)], links: [link] },
      ).seq,
    ).toBe(4);
    expect(
      publishTree(undefined, { domain: DOMAIN, privateKey: SIGNER_KEY, enrs, seq: 1700000000 }).seq,
    ).toBe(1700000000);
  });
});

describe('zone output', () => {
  const tree = build(14);

  it('JSON: { name: txt } with the root at the domain and entries at <hash>.<domain>', () => {
    const json = JSON.parse(JSON.stringify(tree));
    expect(json[DOMAIN]).toBe(tree.rootText);
    expect(Object.keys(json)).toHaveLength(tree.entries.size + 1);
    for (const [hash, text] of tree.entries) expect(json[`${hash}.${DOMAIN}`]).toBe(text);
  });

  it('BIND zone file: $ORIGIN, TTLs, texts over 255 characters split into quoted strings', () => {
    const zone = tree.toZoneFile({ rootTtl: 30, ttl: 3600 });
    const lines = zone.trim().split('\n');
    expect(lines[0]).toBe(`$ORIGIN ${DOMAIN}.`);
    expect(lines[1]).toBe(`@ 30 IN TXT "${tree.rootText}"`);
    expect(lines).toHaveLength(tree.entries.size + 2);
    for (const line of lines.slice(2)) {
      const match = /^([A-Z2-7]{26}) 3600 IN TXT ((?:"[^"]{1,255}" ?)+)$/.exec(line)!;
      expect(match).not.toBeNull();
      const text = [...match[2]!.matchAll(/"([^"]*)"/g)].map((m) => m[1]).join('');
      expect(tree.entries.get(match[1]!)).toBe(text);
    }
    expect(zone).toMatch(/" "/); // the 14-child top branch is longer than 255 characters
    expect(build(1).toZoneFile()).toContain('@ 60 IN TXT');
  });

  it('dnsmasq: one txt-record line per record, quoted', () => {
    const lines = tree.toDnsmasqConfig().trim().split('\n');
    expect(lines).toHaveLength(tree.entries.size + 1);
    expect(lines).toContain(`txt-record=${DOMAIN},"${tree.rootText}"`);
    expect(thrown(() => formatDnsmasqConfig({ x: 'a"b' })).code).toBe('ERR_DNS_INVALID_INPUT');
    expect(thrown(() => formatDnsmasqConfig({ x: 'a\nb' })).code).toBe('ERR_DNS_INVALID_INPUT');
  });
});
