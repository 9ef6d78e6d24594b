import { createSocket, type Socket } from 'node:dgram';
import { getServers } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTree,
  DnsClient,
  DnsPeerSource,
  type DnsTree,
  formatRoot,
  NodeResolver,
  signRoot,
} from '../src/index.js';
import { type DnsServer, ensureDnsmasq, startDnsmasq } from './helpers/dnsmasq.js';
import { rejection, SIGNER_KEY, testEnrs, testKey } from './helpers/fixtures.js';

const MAIN = 'nodes.status-ts.test';
const MORE = 'more.status-ts.test';
const BAD_LEAF = 'bad-leaf.status-ts.test';
const BAD_ROOT = 'bad-root.status-ts.test';

let more: DnsTree;
let main: DnsTree;
let server: DnsServer;
let tampered: DnsServer;
let globalServers: string[];

beforeAll(async () => {
  globalServers = getServers();
  ensureDnsmasq();
  more = buildTree({ domain: MORE, privateKey: testKey(1, 'signer'), seq: 3, enrs: testEnrs(5, 'more') });
  main = buildTree({ domain: MAIN, privateKey: SIGNER_KEY, seq: 7, enrs: testEnrs(30), links: [more.url] });
  server = await startDnsmasq({ ...main.records(), ...more.records() }, [MAIN, MORE]);

  // The second server: the same trees under other names, one with a changed leaf, one with a forged root.
  const badLeaf = buildTree({ domain: BAD_LEAF, privateKey: SIGNER_KEY, seq: 1, enrs: testEnrs(30) });
  const leafRecords = badLeaf.records();
  const [hash] = [...badLeaf.entries].find(([, t]) => t.startsWith('enr:'))!;
  leafRecords[`${hash}.${BAD_LEAF}`] = testEnrs(31)[30]!.encodeText();
  const badRoot = buildTree({ domain: BAD_ROOT, privateKey: SIGNER_KEY, seq: 1, enrs: testEnrs(3) });
  const rootRecords = badRoot.records();
  rootRecords[BAD_ROOT] = formatRoot(signRoot({ ...badRoot.root, seq: 2 }, testKey(6, 'mallory')));
  tampered = await startDnsmasq({ ...leafRecords, ...rootRecords }, [BAD_LEAF, BAD_ROOT]);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await tampered?.stop();
});

const clientFor = (s: DnsServer) => new DnsClient({ resolver: new NodeResolver({ servers: [s.server] }) });

describe('EIP-1459 over a real DNS server (dnsmasq on 127.0.0.1)', () => {
  it('syncs the tree our builder produced: every leaf, the link, the seq', async () => {
    const synced = await clientFor(server).syncTree(main.url);
    expect(synced.seq).toBe(7);
    expect(synced.enrs.map((e) => e.encodeText())).toEqual(main.enrs.map((e) => e.encodeText()));
    expect(synced.links).toEqual([more.url]);
    expect(synced.records).toEqual(main.records());
    const linked = await clientFor(server).syncTree(synced.links[0]!);
    expect(linked.enrs).toHaveLength(5);
  });

  it('records over 255 characters arrive split by the server and are joined', async () => {
    const [hash, text] = [...main.entries].find(([, t]) => t.length > 255)!;
    const { Resolver } = await import('node:dns/promises');
    const raw = new Resolver();
    raw.setServers([server.server]);
    const answer = await raw.resolveTxt(`${hash}.${MAIN}`);
    expect(answer).toHaveLength(1);
    expect(answer[0]!.length).toBeGreaterThan(1);
    expect(answer[0]!.join('')).toBe(text);
    expect(
      (await clientFor(server).resolveEntry({ domain: MAIN, publicKey: new Uint8Array(), url: '' }, hash))
        .text,
    ).toBe(text);
  });

  it('as a PeerSource: walks both trees (the link is followed) and yields all 35 nodes', async () => {
    const source = new DnsPeerSource({
      resolver: new NodeResolver({ servers: [server.server] }),
      trees: { whisper: [main.url] },
    });
    const seen = new Set<string>();
    for await (const enr of source.find('whisper')) {
      seen.add(enr.nodeIdHex);
      if (seen.size === 35) break;
    }
    const want = [...main.enrs, ...more.enrs].map((e) => e.nodeIdHex);
    expect([...seen].sort()).toEqual(want.sort());
  });

  it('skips a changed leaf (ERR_DNS_HASH_MISMATCH) and rejects a forged root (ERR_DNS_BAD_SIGNATURE)', async () => {
    const leafUrl = buildTree({ domain: BAD_LEAF, privateKey: SIGNER_KEY, seq: 1, enrs: [] }).url;
    const rootUrl = buildTree({ domain: BAD_ROOT, privateKey: SIGNER_KEY, seq: 1, enrs: [] }).url;
    // The changed leaf is skipped and reported; the 29 others are returned.
    const synced = await clientFor(tampered).syncTree(leafUrl);
    expect(synced.enrs).toHaveLength(29);
    expect(synced.skipped.map((s) => s.code)).toEqual(['ERR_DNS_HASH_MISMATCH']);
    expect((await rejection(clientFor(tampered).syncTree(rootUrl))).code).toBe('ERR_DNS_BAD_SIGNATURE');
    // The first server does not serve these names at all.
    expect((await rejection(clientFor(server).syncTree(leafUrl))).code).toBe('ERR_DNS_RESOLVE_FAILED');
  });

  it('never touches the process-global DNS servers', () => {
    expect(getServers()).toEqual(globalServers);
  });
});

describe('NodeResolver timeouts against a silent server', () => {
  let silent: Socket;
  let port: number;
  beforeAll(async () => {
    silent = createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', () => resolve()));
    port = silent.address().port;
  });
  afterAll(() => new Promise<void>((resolve) => silent.close(() => resolve())));

  it("maps c-ares' own timeout to ERR_DNS_TIMEOUT", async () => {
    const resolver = new NodeResolver({ servers: [`127.0.0.1:${port}`], timeoutMs: 100, tries: 1 });
    const err = await rejection(resolver.resolveTxt(MAIN));
    expect(err.code).toBe('ERR_DNS_TIMEOUT');
  });

  it('without node:dns (a browser) every query fails typed, asking for another Resolver', async () => {
    const proc = process as { getBuiltinModule?: unknown };
    const original = proc.getBuiltinModule;
    proc.getBuiltinModule = undefined;
    try {
      const err = await rejection(new NodeResolver().resolveTxt(MAIN));
      expect(err.code).toBe('ERR_DNS_RESOLVE_FAILED');
      expect(err.message).toContain('pass a Resolver');
    } finally {
      proc.getBuiltinModule = original;
    }
  });

  it('the client timeout (queryTimeoutMs) fires first when shorter', async () => {
    const resolver = new NodeResolver({ servers: [`127.0.0.1:${port}`], timeoutMs: 5_000, tries: 1 });
    const started = Date.now();
    const err = await rejection(new DnsClient({ resolver, queryTimeoutMs: 150 }).syncTree(main.url));
    expect(err.code).toBe('ERR_DNS_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
