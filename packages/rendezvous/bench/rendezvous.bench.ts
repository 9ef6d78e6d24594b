import { cryptoBackends, initFastCrypto } from '@status-ts/crypto';
import type { Enr } from '@status-ts/enr';
import {
  decodeDiscoverResponse,
  decodeRegister,
  decodeRegisterResponse,
  encodeDiscover,
  encodeDiscoverResponse,
  encodeFrame,
  encodeRegister,
  FrameReader,
  MemoryDialer,
  MemoryRegistrationStore,
  MessageType,
  RendezvousClient,
  type RendezvousDialer,
  RendezvousServer,
} from '../src/index.js';
import { createRendezvousLibp2p, libp2pDialer, runRendezvousServer } from '../src/libp2p/index.js';
import { testEnr } from '../test/helpers/fixtures.js';

// Rendezvous benchmark: codec encode/decode in memory (ENR signature checks included, as a server pays
// them), then REGISTER and DISCOVER per second through the server — over in-memory streams and over
// js-libp2p (TCP + Noise + yamux) on 127.0.0.1, one stream per request as status-go does, with
// CONCURRENCY requests in flight from one client node in the same process (so client and server share
// the CPU). Each transport is measured twice: raw frames (server capacity) and through RendezvousClient
// (which also verifies every returned ENR). Prints figures only; never fails. Shared machine: noisy.

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const RECORDS = 200;

function perSecond(count: number, ms: number): string {
  return `${Math.round((count / ms) * 1000)
    .toLocaleString('en-US')
    .padStart(9)} /s`;
}

async function timed(fn: () => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

async function loop(
  count: number,
  concurrency: number,
  fn: (i: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  return timed(() =>
    Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) await fn(next++);
      }),
    ),
  );
}

/**
 * Server capacity: requests as pre-encoded frames and answers read as raw RLP items, so the figures are
 * not capped by the client verifying the 10 ENRs of each DISCOVER answer (that cost is the codec line).
 */
async function serverThroughput(label: string, dialer: RendezvousDialer, address: string, records: Enr[]) {
  const registers = records.map((record) =>
    encodeFrame(MessageType.Register, encodeRegister({ topic: 'whisper', record, ttlNs: 10_000_000_000n })),
  );
  const discover = encodeFrame(MessageType.Discover, encodeDiscover({ limit: 10, topic: 'whisper' }));
  const request = async (frame: Uint8Array, check: (body: Uint8Array) => void) => {
    const stream = await dialer.dial(address, new AbortController().signal);
    await stream.write(frame);
    await stream.closeWrite();
    const reader = new FrameReader(stream.source);
    await reader.next();
    check((await reader.next())!);
    await reader.next();
  };
  const registerMs = await loop(REQUESTS, CONCURRENCY, (i) =>
    request(registers[i % registers.length]!, (body) => {
      if (decodeRegisterResponse(body).status !== 0) throw new Error('register refused');
    }),
  );
  const discoverMs = await loop(REQUESTS, CONCURRENCY, () =>
    request(discover, (body) => {
      if (body.length < 10 * 100) throw new Error('short discover answer');
    }),
  );
  console.log(
    `${label.padEnd(34)} REGISTER ${perSecond(REQUESTS, registerMs)}   DISCOVER ${perSecond(REQUESTS, discoverMs)}`,
  );
}

async function throughput(label: string, client: RendezvousClient, address: string, records: Enr[]) {
  const registerMs = await loop(REQUESTS, CONCURRENCY, (i) =>
    client.register(address, 'whisper', records[i % records.length]!),
  );
  const discoverMs = await loop(REQUESTS, CONCURRENCY, () => client.discover(address, 'whisper'));
  console.log(
    `${label.padEnd(34)} REGISTER ${perSecond(REQUESTS, registerMs)}   DISCOVER ${perSecond(REQUESTS, discoverMs)}`,
  );
}

async function main(): Promise<void> {
  const backends = await initFastCrypto();
  console.log(
    `crypto: keccak ${backends.keccak256}, secp256k1 ${cryptoBackends().secp256k1 ?? 'noble'}; ${REQUESTS} requests, ${CONCURRENCY} in flight`,
  );
  const records = Array.from({ length: RECORDS }, () => testEnr());

  // 1. Codec only.
  const N = 20_000;
  const register = encodeRegister({ topic: 'whisper', record: records[0]!, ttlNs: 10_000_000_000n });
  const answer = encodeDiscoverResponse({ status: 0, records: records.slice(0, 10) });
  const encodeMs = await timed(() => {
    for (let i = 0; i < N; i++)
      encodeRegister({ topic: 'whisper', record: records[i % RECORDS]!, ttlNs: 1n });
  });
  const decodeMs = await timed(() => {
    for (let i = 0; i < 2000; i++) decodeRegister(register);
  });
  const answerMs = await timed(() => {
    for (let i = 0; i < 200; i++) decodeDiscoverResponse(answer);
  });
  console.log(`codec encode REGISTER                         ${perSecond(N, encodeMs)}`);
  console.log(`codec decode REGISTER (+ ENR signature check) ${perSecond(2000, decodeMs)}`);
  console.log(`codec decode DISCOVER_RESPONSE of 10 ENRs     ${perSecond(200, answerMs)}`);

  // 2. Server over in-memory streams.
  // Every request comes from one client: the per-peer and per-IP limits would measure refusals.
  const unlimited = { rateLimit: false, ipRateLimit: false, maxRecordsPerIp: RECORDS } as const;
  const memoryServer = new RendezvousServer({ store: new MemoryRegistrationStore(), ...unlimited });
  memoryServer.start();
  const memoryDialer = new MemoryDialer().add('memory', memoryServer);
  await serverThroughput('server, in-memory streams', memoryDialer, 'memory', records);
  await throughput(
    '  with RendezvousClient',
    new RendezvousClient({ dialer: memoryDialer }),
    'memory',
    records,
  );
  await memoryServer.stop();

  // 3. Server over js-libp2p on loopback.
  const running = await runRendezvousServer({
    listen: ['/ip4/127.0.0.1/tcp/0'],
    server: unlimited,
  });
  const node = await createRendezvousLibp2p();
  const dialer = libp2pDialer(node);
  const client = new RendezvousClient({ dialer });
  await client.register(running.addresses[0]!, 'whisper', records[0]!); // connect once
  await serverThroughput('server, libp2p TCP+Noise+yamux', dialer, running.addresses[0]!, records);
  await throughput('  with RendezvousClient', client, running.addresses[0]!, records);
  await node.stop();
  await running.stop();
}

await main();
