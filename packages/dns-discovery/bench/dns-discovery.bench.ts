import { DNS } from '@ethereumjs/devp2p';
import { cryptoBackends, initFastCrypto, keccak256, verify } from '@status-ts/crypto';
import { Enr, rlpDecode, rlpEncode, rlpToList } from '@status-ts/enr';
import { buildTree, DnsClient, MemoryResolver, NodeResolver, type Resolver } from '../src/index.js';
import { ensureDnsmasq, startDnsmasq } from '../test/helpers/dnsmasq.js';
import { testEnrs, testKey } from '../test/helpers/keys.js';

// EIP-1459 benchmark: tree build + sign, full sync over an in-memory resolver (and the share of the
// per-leaf cost that is ENR signature verification), then a sync of the same tree from a local dnsmasq
// by our client and by @ethereumjs/devp2p's DNS class. Prints figures only; never fails.

const LEAVES = Number(process.env.BENCH_LEAVES ?? 1000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const DOMAIN = 'bench.status-ts.test';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function timed(fn: () => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}
async function medianOf(fn: () => Promise<unknown> | unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await timed(fn));
  return median(times);
}
const ms = (x: number) => `${x.toFixed(1).padStart(8)} ms`;

/** A resolver that counts queries. */
function counting(inner: Resolver): Resolver & { queries: number } {
  const r = {
    queries: 0,
    resolveTxt(name: string, options?: { signal?: AbortSignal }) {
      r.queries++;
      return inner.resolveTxt(name, options);
    },
  };
  return r;
}

async function main(): Promise<void> {
  await initFastCrypto();
  console.log(
    `crypto backends: keccak ${cryptoBackends().keccak256}, secp256k1 noble; ${LEAVES} leaves, median of ${RUNS}`,
  );
  const enrs = testEnrs(LEAVES, 'bench');
  const signer = testKey(0, 'bench-signer');

  // 1. Build + sign.
  let tree = buildTree({ domain: DOMAIN, privateKey: signer, seq: 1, enrs });
  const buildMs = await medianOf(() => {
    tree = buildTree({ domain: DOMAIN, privateKey: signer, seq: 1, enrs });
  });
  console.log(`build + sign ${LEAVES} ENRs           ${ms(buildMs)}   (${tree.entries.size} records)`);

  // 2. Full sync over an in-memory resolver, fresh client (empty cache) every run. Verification alone
  // (keccak256 of the signed content + ECDSA verify per leaf) is timed in alternation with the sync, so
  // load from other processes hits both alike.
  const memory = new MemoryResolver(tree.records());
  const leaves = [...tree.entries.values()].filter((t) => t.startsWith('enr:')).map((t) => Enr.decodeText(t));
  const signedContents = leaves.map((enr) => {
    const [signature, ...content] = rlpToList(rlpDecode(enr.encode()));
    return { signature: signature as Uint8Array, content: rlpEncode(content), key: enr.publicKey };
  });
  let synced = 0;
  const syncTimes: number[] = [];
  const verifyTimes: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    syncTimes.push(
      await timed(async () => {
        synced = (await new DnsClient({ resolver: memory }).syncTree(tree.url)).enrs.length;
      }),
    );
    verifyTimes.push(
      await timed(() => {
        for (const s of signedContents) verify(keccak256(s.content), s.signature, s.key);
      }),
    );
  }
  const syncMs = median(syncTimes);
  const verifyMs = median(verifyTimes);
  console.log(
    `full sync, in-memory resolver       ${ms(syncMs)}   (${synced} ENRs, ${(syncMs / LEAVES).toFixed(3)} ms/leaf)`,
  );
  console.log(
    `  ENR signature verification alone  ${ms(verifyMs)}   (${((verifyMs / syncMs) * 100).toFixed(0)}% of the per-leaf cost)`,
  );

  // 3. A real DNS server: ours (two concurrency settings) vs @ethereumjs/devp2p DNS.
  ensureDnsmasq();
  const server = await startDnsmasq(tree.records(), [DOMAIN]);
  try {
    for (const concurrency of [1, 8]) {
      let queries = 0;
      let count = 0;
      const t = await medianOf(async () => {
        const resolver = counting(new NodeResolver({ servers: [server.server] }));
        count = (await new DnsClient({ resolver, syncConcurrency: concurrency }).syncTree(tree.url)).enrs
          .length;
        queries = resolver.queries;
      });
      console.log(
        `full sync, dnsmasq, concurrency ${concurrency}     ${ms(t)}   (${count} ENRs, ${queries} queries, ${(t / count).toFixed(3)} ms/ENR)`,
      );
      if (concurrency === 1) (globalThis as { oursPerEnr?: number }).oursPerEnr = t / count;
    }
    // ethereumjs: random root-to-leaf descents (with replacement) until `maxQuantity` distinct peers or
    // maxQuantity + 10 descents; TXT answers cached per instance. It sets the process-global DNS servers.
    let found = 0;
    const ethMs = await medianOf(async () => {
      const dns = new DNS({ dnsServerAddress: server.server });
      found = (await dns.getPeers(LEAVES, [tree.url])).length;
    });
    const ours = (globalThis as { oursPerEnr?: number }).oursPerEnr!;
    const theirs = ethMs / found;
    console.log(
      `@ethereumjs/devp2p DNS.getPeers(${LEAVES})   ${ms(ethMs)}   (${found} distinct peers, ${theirs.toFixed(3)} ms/peer)`,
    );
    console.log(`ratio per ENR (ethereumjs / ours, concurrency 1): ${(theirs / ours).toFixed(2)}x`);
  } finally {
    await server.stop();
  }
}

await main();
