import { getPublicKey } from '@status-ts/crypto';
import {
  base32Decode,
  base32Encode,
  buildTree,
  DnsClient,
  formatTreeUrl,
  hashMatches,
  MemoryResolver,
  parseEntry,
  parseRoot,
  parseTreeUrl,
  verifyRoot,
} from '@status-ts/dns-discovery';
import fc from 'fast-check';
import { BASE32, BASE64URL, mutatedText, textFrom } from './arbitraries.js';
import { fixedKey, records } from './fixtures.js';
import { entry, type FuzzEntry, layer } from './harness.js';

const signerKey = fixedKey('dns-discovery 1');
const signerPub = getPublicKey(signerKey, 'compressed');
const linkUrl = formatTreeUrl(getPublicKey(fixedKey('dns-discovery 2'), 'compressed'), 'other.example.org');
// Small branches (3 children) so the tree has branch records, links and leaves.
const tree = buildTree({
  domain: 'nodes.example.org',
  privateKey: signerKey,
  seq: 42,
  enrs: records,
  links: [linkUrl],
  maxChildren: 3,
});
const entryTexts = [...tree.entries.values()];
const allTexts = [tree.rootText, ...entryTexts];
const ENTRY_ALPHABET = `${BASE32}${BASE64URL}:=,@. enrtree-branch://root:v1 e l seq sig`;

/** Every record of the tree, one replaced by an edited text (the walk must reject it typed). */
const zoneArb = fc
  .tuple(fc.nat(), mutatedText(fc.constantFrom(...allTexts), ENTRY_ALPHABET))
  .map(([pick, text]) => {
    const zone = tree.records();
    const names = Object.keys(zone);
    zone[names[pick % names.length]!] = text;
    return zone;
  });

export const dnsEntries: FuzzEntry[] = layer('dns-discovery', [
  entry({
    name: 'parseEntry (branch, link, enr leaves)',
    arbitrary: textFrom(fc.constantFrom(...entryTexts), ENTRY_ALPHABET, 300),
    how: 'random text, edited branch, link and ENR leaf records of a built tree',
    decode: (text) => parseEntry(text),
    slow: { share: 0.5, why: 'signature check per intact ENR leaf' },
  }),
  entry({
    name: 'parseRoot → verifyRoot',
    arbitrary: textFrom(fc.constant(tree.rootText), ENTRY_ALPHABET, 300),
    how: 'random text, edited signed roots',
    decode: (text) => verifyRoot(parseRoot(text), signerPub),
  }),
  entry({
    name: 'parseTreeUrl',
    arbitrary: textFrom(fc.constantFrom(tree.url, linkUrl), `${ENTRY_ALPHABET}/`, 200),
    how: 'random text, edited enrtree:// URLs',
    decode: (text) => parseTreeUrl(text),
    slow: { share: 0.5, why: 'public key decompression per well-formed URL' },
  }),
  entry({
    name: 'base32Decode (strict and lenient)',
    arbitrary: fc.tuple(
      textFrom(
        fc.uint8Array({ maxLength: 40 }).map((b) => base32Encode(b)),
        `${BASE32}=abc1890`,
        80,
      ),
      fc.boolean(),
    ),
    how: 'random text, edited base32',
    decode: ([text, strict]) => base32Decode(text, { strict }),
  }),
  entry({
    name: 'hashMatches (record name against text)',
    arbitrary: fc.tuple(
      textFrom(fc.constantFrom(...entryTexts.map((t) => t.slice(0, 26))), BASE32, 40),
      fc.string({ maxLength: 60 }),
    ),
    how: 'random and edited record names against random text',
    decode: ([hash, text]) => hashMatches(hash, text),
  }),
  entry({
    name: 'DnsClient.syncTree (zone with one edited record)',
    arbitrary: zoneArb,
    how: 'a full tree served from memory with one record (root, branch, link or leaf) edited',
    decode: async (zone) => {
      const client = new DnsClient({ resolver: new MemoryResolver(zone), cacheSize: 100 });
      return client.syncTree(tree.url);
    },
    async: true,
    slow: { share: 0.1, why: 'a whole tree walk with signature checks per case' },
    show: (zone) => JSON.stringify(zone),
  }),
]);
