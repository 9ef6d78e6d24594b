import { ManualClock } from '@status-ts/core';
import type { Enr } from '@status-ts/enr';
import { describe, expect, it } from 'vitest';
import * as dns from '../src/index.js';
import {
  buildTree,
  DnsClient,
  DnsPeerSource,
  entryHash,
  formatBranch,
  formatRoot,
  MemoryResolver,
  signRoot,
} from '../src/index.js';
import { rejection, SIGNER_KEY, testEnrs } from './helpers/fixtures.js';
import { isPending, seeded, settle } from './helpers/walk.js';

const DOMAIN = 'tolerant.test.example';
const EMPTY = formatBranch([]);

/**
 * One branch over `good` ENR leaves plus two bad ones: a leaf that hashes to its name but does not decode
 * (its signature is broken) and a name that serves another valid record than the one it is named after.
 */
function zoneWithBadLeaves(goodCount: number) {
  const good = testEnrs(goodCount).map((e) => e.encodeText());
  const valid = testEnrs(1, 'corrupt')[0]!.encodeText();
  // Flip one character inside the signature: still base64url, no longer a valid signed record.
  const at = 10;
  const corrupt = valid.slice(0, at) + (valid[at] === 'A' ? 'B' : 'A') + valid.slice(at + 1);
  const [named, served] = testEnrs(2, 'swapped').map((e) => e.encodeText()) as [string, string];
  const corruptHash = entryHash(corrupt);
  const mismatchHash = entryHash(named);
  const branch = formatBranch([...good.map(entryHash), corruptHash, mismatchHash]);
  const zone: Record<string, string> = {
    [DOMAIN]: formatRoot(signRoot({ eRoot: entryHash(branch), lRoot: entryHash(EMPTY), seq: 1 }, SIGNER_KEY)),
    [`${entryHash(EMPTY)}.${DOMAIN}`]: EMPTY,
    [`${entryHash(branch)}.${DOMAIN}`]: branch,
    [`${corruptHash}.${DOMAIN}`]: corrupt,
    [`${mismatchHash}.${DOMAIN}`]: served,
  };
  for (const text of good) zone[`${entryHash(text)}.${DOMAIN}`] = text;
  const url = buildTree({ domain: DOMAIN, privateKey: SIGNER_KEY, seq: 1, enrs: [] }).url;
  return { zone, url, good, branch, corruptHash, mismatchHash };
}

const texts = (enrs: readonly Enr[]) => enrs.map((e) => e.encodeText()).sort();

describe('syncTree tolerates bad leaves', () => {
  it('returns every good record and reports a corrupt ENR leaf and a hash mismatch with hashes and codes', async () => {
    const { zone, url, good, corruptHash, mismatchHash } = zoneWithBadLeaves(5);
    const client = new DnsClient({ resolver: new MemoryResolver(zone) });
    const synced = await client.syncTree(url);
    expect(texts(synced.enrs)).toEqual([...good].sort());
    expect(synced.skipped).toHaveLength(2);
    expect(synced.skipped).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          hash: corruptHash,
          name: `${corruptHash}.${DOMAIN}`,
          code: 'ERR_DNS_BAD_RECORD',
          subtree: 'enr',
        }),
        expect.objectContaining({
          hash: mismatchHash,
          name: `${mismatchHash}.${DOMAIN}`,
          code: 'ERR_DNS_HASH_MISMATCH',
          subtree: 'enr',
        }),
      ]),
    );
    // Bad entries are neither in the returned records nor cached; every drop is counted by code.
    expect(Object.keys(synced.records)).not.toContain(`${corruptHash}.${DOMAIN}`);
    expect(client.stats.errors).toEqual({ ERR_DNS_BAD_RECORD: 1, ERR_DNS_HASH_MISMATCH: 1 });
  });

  it('a failed lookup still fails the sync (the answer may differ on retry)', async () => {
    const { zone, url, mismatchHash } = zoneWithBadLeaves(2);
    const resolver = new MemoryResolver(zone);
    resolver.delete(`${mismatchHash}.${DOMAIN}`);
    expect((await rejection(new DnsClient({ resolver }).syncTree(url))).code).toBe('ERR_DNS_RESOLVE_FAILED');
  });
});

describe('DnsPeerSource tolerates bad leaves', () => {
  it('yields the 28 good records of an 824-character branch that also holds two bad leaves', async () => {
    const { zone, url, good, branch } = zoneWithBadLeaves(28);
    expect(branch.length).toBe(824);
    const source = new DnsPeerSource({
      resolver: new MemoryResolver(zone),
      clock: new ManualClock(0),
      random: seeded(3),
      trees: { relay: [url] },
    });
    const controller = new AbortController();
    const it = source.find('relay', controller.signal)[Symbol.asyncIterator]();
    const found: string[] = [];
    for (let i = 0; i < good.length; i++) {
      const next = await Promise.race([it.next(), settle(400).then(() => undefined)]);
      if (next === undefined || next.done) throw new Error(`no record after ${found.length}`);
      found.push(next.value.encodeText());
    }
    expect(found.sort()).toEqual([...good].sort());
    // Nothing else comes: the bad leaves are dropped and counted.
    const rest = it.next();
    expect(await isPending(rest)).toBe(true);
    expect(source.client.stats.errors).toEqual({ ERR_DNS_BAD_RECORD: 1, ERR_DNS_HASH_MISMATCH: 1 });
    controller.abort();
    await expect(rest).rejects.toMatchObject({ name: 'AbortError' });
  });
});

/** One branch of 30 hashes over 30 ENRs: an 824-character record, as go-ethereum's client reads. */
function wideTree() {
  return buildTree({
    domain: DOMAIN,
    privateKey: SIGNER_KEY,
    seq: 1,
    enrs: testEnrs(30),
    maxChildren: 30,
    maxTxtLength: 1000,
  });
}

describe('record length', () => {
  it('accepts an 824-character branch (30 hashes) by default, as go-ethereum does', async () => {
    const tree = wideTree();
    const top = tree.entries.get(tree.root.eRoot)!;
    expect(top.length).toBe(824);
    const synced = await new DnsClient({ resolver: new MemoryResolver(tree.records()) }).syncTree(tree.url);
    expect(synced.enrs).toHaveLength(30);
    expect(synced.skipped).toEqual([]);
  });

  it('refuses a record over the 4096-character cap (ERR_DNS_TXT_TOO_LARGE) and returns the rest', async () => {
    expect(dns.DEFAULT_MAX_RECEIVED_TXT_LENGTH).toBe(4096);
    const good = testEnrs(3).map((e) => e.encodeText());
    const huge = `enrtree-branch:${'A'.repeat(4097 - 'enrtree-branch:'.length)}`;
    expect(huge.length).toBe(4097);
    const branch = formatBranch([...good.map(entryHash), entryHash(huge)]);
    const zone: Record<string, string> = {
      [DOMAIN]: formatRoot(
        signRoot({ eRoot: entryHash(branch), lRoot: entryHash(EMPTY), seq: 1 }, SIGNER_KEY),
      ),
      [`${entryHash(EMPTY)}.${DOMAIN}`]: EMPTY,
      [`${entryHash(branch)}.${DOMAIN}`]: branch,
      [`${entryHash(huge)}.${DOMAIN}`]: huge,
    };
    for (const text of good) zone[`${entryHash(text)}.${DOMAIN}`] = text;
    const url = buildTree({ domain: DOMAIN, privateKey: SIGNER_KEY, seq: 1, enrs: [] }).url;
    const client = new DnsClient({ resolver: new MemoryResolver(zone) });
    expect(client.config.maxTxtLength).toBe(4096);
    const synced = await client.syncTree(url);
    expect(texts(synced.enrs)).toEqual([...good].sort());
    expect(synced.skipped).toEqual([
      expect.objectContaining({ hash: entryHash(huge), code: 'ERR_DNS_TXT_TOO_LARGE' }),
    ]);
    expect(client.stats.errors).toEqual({ ERR_DNS_TXT_TOO_LARGE: 1 });
  });

  it('maxTxtLength sets the cap: an 824-character branch passes at 824 and is refused at 823', async () => {
    const tree = wideTree();
    const resolver = new MemoryResolver(tree.records());
    expect((await new DnsClient({ resolver, maxTxtLength: 824 }).syncTree(tree.url)).enrs).toHaveLength(30);
    const refused = await new DnsClient({ resolver, maxTxtLength: 823 }).syncTree(tree.url);
    expect(refused.enrs).toEqual([]);
    expect(refused.skipped).toEqual([
      expect.objectContaining({ hash: tree.root.eRoot, code: 'ERR_DNS_TXT_TOO_LARGE' }),
    ]);
  });

  it('rejects a maxTxtLength that is not a positive integer (ERR_DNS_INVALID_INPUT)', () => {
    const resolver = new MemoryResolver();
    for (const maxTxtLength of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      let code: string | undefined;
      try {
        new DnsClient({ resolver, maxTxtLength });
      } catch (err) {
        code = (err as { code?: string }).code;
      }
      expect(code, String(maxTxtLength)).toBe('ERR_DNS_INVALID_INPUT');
    }
  });
});
