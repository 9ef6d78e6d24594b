import '@status-ts/core/promise-with-resolvers';
import { noise } from '@chainsafe/libp2p-noise';
import { generateKeyPair } from '@libp2p/crypto/keys';
import type { ComponentLogger, ConnectionEncrypter, Logger, PrivateKey } from '@libp2p/interface';
import { multiaddr } from '@multiformats/multiaddr';
import { secio } from '../src/index.js';
import { collect, type MemoryDuplex, memoryDuplexPair } from '../test/helpers/memory-duplex.js';
import { startNode, type TestNode } from '../test/helpers/node.js';

// secio next to noise, in one run: handshakes/s and one-way stream throughput, (1) encrypter against
// encrypter over an in-memory pipe (the crypto and framing alone) and (2) libp2p 2.x nodes on 127.0.0.1
// over TCP with yamux (what an application sees). Prints figures only; never fails. Numbers on a shared
// 2-core machine are noisy: compare the ratio within one run, not runs across machines.

const HANDSHAKES = Number(process.env.BENCH_HANDSHAKES ?? 100);
const MEGABYTES = Number(process.env.BENCH_MB ?? 64);
const TCP_DIALS = Number(process.env.BENCH_DIALS ?? 40);

const silentLog: Logger = Object.assign(() => undefined, {
  error: () => undefined,
  trace: () => undefined,
  enabled: false,
  newScope: (): Logger => silentLog,
});
const logger: ComponentLogger = { forComponent: () => silentLog };

type Name = 'secio' | 'noise';
function makeEncrypter(name: Name, privateKey: PrivateKey): ConnectionEncrypter {
  if (name === 'secio') return secio()({ privateKey, logger });
  const components = { privateKey, logger, upgrader: { getStreamMuxers: () => new Map() } };
  return noise()(components as never);
}

async function securePair(name: Name, keyA: PrivateKey, keyB: PrivateKey) {
  const [a, b] = memoryDuplexPair();
  const options = { skipStreamMuxerNegotiation: true };
  const [out, inb] = await Promise.all([
    makeEncrypter(name, keyA).secureOutbound(a, options),
    makeEncrypter(name, keyB).secureInbound(b, options),
  ]);
  return [out.conn as MemoryDuplex, inb.conn as MemoryDuplex] as const;
}

async function inMemoryHandshakes(name: Name, keyA: PrivateKey, keyB: PrivateKey): Promise<number> {
  await securePair(name, keyA, keyB); // warm-up
  const start = performance.now();
  for (let i = 0; i < HANDSHAKES; i++) await securePair(name, keyA, keyB);
  return HANDSHAKES / ((performance.now() - start) / 1000);
}

async function* chunks(total: number, size: number): AsyncGenerator<Uint8Array> {
  const chunk = new Uint8Array(size).fill(7);
  for (let sent = 0; sent < total; sent += size) yield chunk;
}

async function inMemoryThroughput(name: Name, keyA: PrivateKey, keyB: PrivateKey): Promise<number> {
  const [out, inb] = await securePair(name, keyA, keyB);
  const bytes = MEGABYTES * 1024 * 1024;
  const start = performance.now();
  const [, received] = await Promise.all([out.sink(chunks(bytes, 64 * 1024)), collectLength(inb.source)]);
  if (received !== bytes) throw new Error(`received ${received} of ${bytes}`);
  return MEGABYTES / ((performance.now() - start) / 1000);
}

async function collectLength(source: AsyncIterable<Uint8Array | { length: number }>): Promise<number> {
  let n = 0;
  for await (const chunk of source) n += chunk.length;
  return n;
}

async function tcpFigures(name: Name): Promise<{ handshakes: number; throughput: number }> {
  const server: TestNode = await startNode({ encrypters: [name], muxers: ['yamux'] });
  const client: TestNode = await startNode({ encrypters: [name], muxers: ['yamux'] });
  await server.node.handle('/bench/sink', ({ stream }) => {
    void (async () => {
      const n = await collectLength(stream.source);
      await stream.sink([new TextEncoder().encode(String(n))]);
    })();
  });
  try {
    const address = multiaddr(server.address);
    await client.node.dial(address);
    await client.node.hangUp(address);
    const start = performance.now();
    for (let i = 0; i < TCP_DIALS; i++) {
      await client.node.dial(address);
      await client.node.hangUp(address);
    }
    const handshakes = TCP_DIALS / ((performance.now() - start) / 1000);

    const bytes = MEGABYTES * 1024 * 1024;
    const stream = await client.node.dialProtocol(address, '/bench/sink');
    const t = performance.now();
    await stream.sink(chunks(bytes, 64 * 1024));
    const reply = new TextDecoder().decode(await collect(stream.source));
    if (Number(reply) !== bytes) throw new Error(`server received ${reply} of ${bytes}`);
    const throughput = MEGABYTES / ((performance.now() - t) / 1000);
    return { handshakes, throughput };
  } finally {
    await client.stop();
    await server.stop();
  }
}

const keyA = await generateKeyPair('secp256k1');
const keyB = await generateKeyPair('secp256k1');
const rows: Array<[string, number, number, string]> = [];
for (const name of ['secio', 'noise'] as const) {
  rows.push([
    `${name}, in-memory pipe`,
    await inMemoryHandshakes(name, keyA, keyB),
    await inMemoryThroughput(name, keyA, keyB),
    '',
  ]);
}
for (const name of ['secio', 'noise'] as const) {
  const { handshakes, throughput } = await tcpFigures(name);
  rows.push([`${name}, libp2p TCP + yamux`, handshakes, throughput, '(dial + upgrade + hang up)']);
}

console.log(`secio vs noise — secp256k1 identities, ${MEGABYTES} MiB one way, Node ${process.version}`);
console.log('setup'.padEnd(28), 'handshakes/s'.padStart(13), 'MB/s'.padStart(9));
for (const [label, hs, mbps, note] of rows) {
  console.log(label.padEnd(28), hs.toFixed(1).padStart(13), mbps.toFixed(1).padStart(9), note);
}
const ratio = (a: number, b: number) => (a / b).toFixed(2);
console.log(
  `secio/noise: in-memory handshakes ×${ratio(rows[0]![1], rows[1]![1])}, throughput ×${ratio(rows[0]![2], rows[1]![2])}; ` +
    `TCP handshakes ×${ratio(rows[2]![1], rows[3]![1])}, throughput ×${ratio(rows[2]![2], rows[3]![2])}`,
);
