import { once } from 'node:events';
import { createServer, connect as netConnect, type Socket } from 'node:net';
import type { Peer as EthPeer } from '@ethereumjs/devp2p';
import {
  type AesBlockEncryptor,
  createAesCtr,
  createAesEcbEncryptor,
  createKeccak256,
  generatePrivateKey,
  getPublicKey,
  initFastCrypto,
  type Keccak256Hasher,
  randomBytes,
} from '@status-ts/crypto';
import { type Capability, type CapabilityStream, Server } from '../src/index.js';
import { EthTestProtocol, listenEth, makeEthRlpx, stopEth } from '../test/helpers/ethjs.js';

// Loopback benchmark, status-ts vs @ethereumjs/devp2p (both ends of each pair in this process).
// Payloads are random bytes (like encrypted Waku envelopes), so snappy finds nothing to compress.
// The machine may be shared: each figure is the best of ROUNDS short rounds, bound, ours and theirs alternating.
// Prints figures only; never fails. BENCH_MS (per figure), BENCH_ROUNDS, BENCH_DIALERS, BENCH_ONLY.

const BUDGET_MS = Number(process.env.BENCH_MS ?? 2400);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WRITE_LIMIT = 1024 * 1024;

/** A loaded pair: `run(n)` moves n messages end to end. */
interface Pipe {
  run(n: number): Promise<void>;
  close(): Promise<void>;
}

const rate = (msgs: number, ms: number) => (msgs / ms) * 1000;
const mbps = (msgsPerSec: number, size: number) => ((msgsPerSec * size) / 1e6).toFixed(1).padStart(6);

/** Best messages/s over the rounds of one pipe, given a share of the budget per round. */
async function bestRate(pipe: Pipe, size: number, ms: number, best: number): Promise<number> {
  const batch = Math.max(16, Math.floor(2_000_000 / size));
  let msgs = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    await pipe.run(batch);
    msgs += batch;
  }
  return Math.max(best, rate(msgs, performance.now() - start));
}

class SinkCapability implements Capability {
  readonly name = 'bench';
  readonly version = 1;
  readonly length = 4;
  stream: CapabilityStream | undefined;
  msgs = 0;
  target = Number.POSITIVE_INFINITY;
  waiter: (() => void) | undefined;
  async attach(stream: CapabilityStream): Promise<void> {
    this.stream = stream;
    for await (const _ of stream.messages()) if (++this.msgs >= this.target) this.waiter?.();
  }
}

async function oursPipe(size: number, snappy: boolean): Promise<Pipe> {
  const sender = new SinkCapability();
  const receiver = new SinkCapability();
  const node = (cap: Capability) =>
    new Server({
      privateKey: generatePrivateKey(),
      host: '127.0.0.1',
      port: 0,
      capabilities: [cap],
      protocolVersion: snappy ? 5 : 4,
    });
  const a = node(sender);
  const b = node(receiver);
  await Promise.all([a.start(), b.start()]);
  await a.dial(b.enode);
  while (!sender.stream || !receiver.stream) await new Promise((r) => setTimeout(r, 1));
  const stream = sender.stream;
  const payload = randomBytes(size);
  return {
    async run(n) {
      receiver.target = receiver.msgs + n;
      const done = new Promise<void>((r) => (receiver.waiter = r));
      for (let i = 0; i < n; i++) await stream.send(0, payload);
      await done;
    },
    close: async () => {
      await Promise.all([a.stop(), b.stop()]);
    },
  };
}

/** Routes ethereumjs messages to the pipe whose receiver got them (several pairs are open at once). */
const ethReceivers = new Map<EthTestProtocol, () => void>();
EthTestProtocol.onMessage = (proto) => {
  proto.received.length = 0; // the test helper keeps every message; a benchmark must not
  ethReceivers.get(proto)?.();
};

async function theirsPipe(size: number, snappy: boolean): Promise<Pipe> {
  const before = EthTestProtocol.instances.length;
  const keyB = generatePrivateKey();
  const a = makeEthRlpx(generatePrivateKey(), { name: 'bench', length: 4 });
  const b = makeEthRlpx(keyB, { name: 'bench', length: 4 });
  const port = await listenEth(b);
  const added = once(b.events as never, 'peer:added');
  await a.connect({ id: getPublicKey(keyB, 'raw'), address: '127.0.0.1', tcpPort: port });
  await added;
  while (EthTestProtocol.instances.length < before + 2) await new Promise((r) => setTimeout(r, 1));
  const pair = EthTestProtocol.instances.slice(before, before + 2);
  if (!snappy) {
    // ethereumjs always announces version 5; pretend the peer said 4 so neither side (de)compresses.
    for (const p of pair) {
      (p.peer as unknown as { _hello: { protocolVersion: number } })._hello.protocolVersion = 4;
    }
  }
  const sender = pair.find((p) => a.getPeers().includes(p.peer))!;
  const receiver = pair.find((p) => p !== sender)!;
  const socket = (sender.peer as unknown as { _socket: Socket })._socket;
  let count = 0;
  let target = Number.POSITIVE_INFINITY;
  let waiter: (() => void) | undefined;
  ethReceivers.set(receiver, () => {
    if (++count >= target) waiter?.();
  });
  const payload = randomBytes(size);
  return {
    async run(n) {
      target = count + n;
      const done = new Promise<void>((r) => (waiter = r));
      for (let i = 0; i < n; i++) {
        sender.send(0, payload);
        if (socket.writableLength > WRITE_LIMIT) await once(socket, 'drain');
      }
      await done;
    },
    async close() {
      ethReceivers.delete(receiver);
      stopEth(a);
      stopEth(b);
    },
  };
}

/**
 * The crypto an RLPx frame costs on one side besides absorbing its body: header MAC and frame MAC each
 * take a digest, one AES block, a 16-byte absorb and another digest (see src/rlpx/mac.ts).
 */
function macSeeds(mac: Keccak256Hasher, ecb: AesBlockEncryptor): void {
  for (let i = 0; i < 2; i++) {
    mac.update(ecb(mac.digest().subarray(0, 16)));
    mac.digest();
  }
}

/**
 * The bound: raw node:net loopback carrying the same bytes with the same crypto per message as an RLPx
 * frame on each side (AES-CTR over header + padded body, keccak over the body, the 4 digests and 2 AES
 * blocks of the MACs), and no protocol: no framing, MAC checks, snappy, Hello, queues or promises.
 */
async function boundPipe(size: number): Promise<Pipe> {
  const key = randomBytes(32);
  const iv = new Uint8Array(16);
  const frameSize = 16 + ((size + 1 + 15) & ~15); // header + padded rlp(code) || payload
  let received = 0;
  let target = Number.POSITIVE_INFINITY;
  let waiter: (() => void) | undefined;
  const listener = createServer((socket) => {
    const aes = createAesCtr(key, iv);
    const mac = createKeccak256();
    const ecb = createAesEcbEncryptor(key);
    let nextFrameEnd = frameSize;
    socket.on('data', (chunk: Buffer) => {
      mac.update(chunk);
      aes.update(chunk);
      received += chunk.length;
      for (; nextFrameEnd <= received; nextFrameEnd += frameSize) macSeeds(mac, ecb);
      if (received >= target) waiter?.();
    });
  });
  listener.listen(0, '127.0.0.1');
  await once(listener, 'listening');
  const port = (listener.address() as { port: number }).port;
  const socket = netConnect({ port, host: '127.0.0.1', noDelay: true });
  await once(socket, 'connect');
  const aes = createAesCtr(key, iv);
  const mac = createKeccak256();
  const ecb = createAesEcbEncryptor(key);
  const plain = new Uint8Array(frameSize);
  plain.set(randomBytes(size), 17);
  return {
    async run(n) {
      target = received + n * frameSize;
      const done = new Promise<void>((r) => (waiter = r));
      for (let i = 0; i < n; i++) {
        const ct = aes.update(plain);
        mac.update(ct.subarray(16));
        macSeeds(mac, ecb);
        if (!socket.write(ct) && socket.writableLength > WRITE_LIMIT) await once(socket, 'drain');
      }
      await done;
    },
    async close() {
      socket.destroy();
      await new Promise((r) => listener.close(r));
    },
  };
}

const sizeLabel = (size: number) => (size === 1024 ? ' 1 KB' : '64 KB');

/** One message size: the bound, ours and theirs with snappy off and on, measured in alternating rounds. */
async function throughput(size: number): Promise<void> {
  const pipes: [string, Pipe][] = [
    ['bound', await boundPipe(size)],
    ['ours off', await oursPipe(size, false)],
    ['theirs off', await theirsPipe(size, false)],
    ['ours on', await oursPipe(size, true)],
    ['theirs on', await theirsPipe(size, true)],
  ];
  for (const [name, pipe] of pipes) {
    await pipe.run(Math.max(4, Math.floor((name.startsWith('theirs') ? 300_000 : 2_000_000) / size))); // warm-up
  }
  const best = new Map<string, number>();
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, pipe] of pipes)
      best.set(name, await bestRate(pipe, size, BUDGET_MS / ROUNDS, best.get(name) ?? 0));
  }
  for (const [, pipe] of pipes) await pipe.close();
  const bound = best.get('bound')!;
  for (const snappy of ['off', 'on']) {
    const o = best.get(`ours ${snappy}`)!;
    const t = best.get(`theirs ${snappy}`)!;
    console.log(
      `${sizeLabel(size)} snappy ${snappy.padEnd(3)} | ours ${mbps(o, size)} MB/s ${Math.round(o).toString().padStart(6)} msg/s | ethereumjs ${mbps(t, size)} MB/s ${Math.round(t).toString().padStart(5)} msg/s | ratio ${(o / t).toFixed(1).padStart(4)}x | ${Math.round((o / bound) * 100)}% of bound`,
    );
  }
  console.log(
    `${sizeLabel(size)} bound (raw node:net, same AES-CTR + MAC crypto per message, no protocol): ${mbps(bound, size)} MB/s ${Math.round(bound)} msg/s\n`,
  );
}

/** Runs `dialers` concurrent dial/Hello/disconnect loops for `ms`; returns completed handshakes/s. */
async function handshakeRound(loop: () => Promise<void>, dialers: number, ms: number): Promise<number> {
  let count = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: dialers }, async () => {
      while (performance.now() - start < ms) {
        await loop();
        count++;
      }
    }),
  );
  return rate(count, performance.now() - start);
}

async function handshakes(dialers: number): Promise<void> {
  const cap = (): Capability => ({ name: 'bench', version: 1, length: 4, attach() {} });
  const server = new Server({
    privateKey: generatePrivateKey(),
    host: '127.0.0.1',
    port: 0,
    capabilities: [cap()],
    maxPeers: 1000,
    maxInboundPeers: 1000,
  });
  await server.start();
  const ourDialers = Array.from(
    { length: dialers },
    () => new Server({ privateKey: generatePrivateKey(), listen: false, capabilities: [cap()] }),
  );
  await Promise.all(ourDialers.map((d) => d.start()));
  let nextOurs = 0;
  const oursLoop = async () => {
    const d = ourDialers[nextOurs++ % dialers]!;
    const peer = await d.dial(server.enode);
    const closed = once(peer as never, 'closed');
    peer.disconnect(8);
    await closed;
  };

  const keyB = generatePrivateKey();
  const theirServer = makeEthRlpx(keyB, { name: 'bench', length: 4, maxPeers: 1000 });
  const port = await listenEth(theirServer);
  const id = getPublicKey(keyB, 'raw');
  const theirDialers = Array.from({ length: dialers }, () =>
    makeEthRlpx(generatePrivateKey(), { name: 'bench', length: 4 }),
  );
  const idle = [...theirDialers];
  const theirsLoop = async () => {
    const d = idle.pop()!;
    const added = once(d.events as never, 'peer:added');
    await d.connect({ id, address: '127.0.0.1', tcpPort: port });
    const [peer] = (await added) as [EthPeer];
    const removed = once(d.events as never, 'peer:removed');
    peer.disconnect(8);
    await removed;
    while ((d as unknown as { _peers: Map<string, unknown> })._peers.size > 0) {
      await new Promise((r) => setImmediate(r));
    }
    EthTestProtocol.instances.length = 0; // the helper keeps every instance (and its peer) alive
    idle.push(d);
  };

  let o = 0;
  let t = 0;
  for (let r = 0; r < ROUNDS; r++) {
    o = Math.max(o, await handshakeRound(oursLoop, dialers, BUDGET_MS / ROUNDS));
    t = Math.max(t, await handshakeRound(theirsLoop, dialers, BUDGET_MS / ROUNDS));
  }
  await Promise.all([server.stop(), ...ourDialers.map((d) => d.stop())]);
  for (const d of theirDialers) stopEth(d);
  stopEth(theirServer);
  console.log(
    `handshakes/s (TCP + RLPx + Hello, ${dialers} concurrent dialers) | ours ${o.toFixed(0)} | ethereumjs ${t.toFixed(0)} | ratio ${(o / t).toFixed(1)}x`,
  );
}

/** Per-call cost of the primitives the frame MAC calls 3 (update) + 4 (digest) + 2 (AES block) times per frame. */
function macPrimitives(): string {
  const h = createKeccak256();
  const ecb = createAesEcbEncryptor(randomBytes(32));
  const small = new Uint8Array(16);
  const kb = new Uint8Array(1040);
  const us = (fn: () => unknown, n: number) => {
    for (let i = 0; i < n / 10; i++) fn();
    const t = performance.now();
    for (let i = 0; i < n; i++) fn();
    return (((performance.now() - t) * 1000) / n).toFixed(2);
  };
  return `keccak update(16 B) ${us(() => h.update(small), 50_000)} us, update(1 KB) ${us(() => h.update(kb), 20_000)} us, digest ${us(() => h.digest(), 50_000)} us, AES block ${us(() => ecb(small), 50_000)} us`;
}

async function main(): Promise<void> {
  const backends = await initFastCrypto();
  console.log(
    `devp2p loopback benchmark (node ${process.version}; keccak ${backends.keccak256}, aes-ctr ${backends.aesCtr}, aes block ${backends.aesEcb}, secp256k1 ${backends.secp256k1}, ecdh ${backends.ecdh})`,
  );
  console.log(
    `best of ${ROUNDS} alternating rounds in ~${BUDGET_MS} ms per figure; payloads are random bytes`,
  );
  console.log(`MAC primitives: ${macPrimitives()}\n`);
  const only = process.env.BENCH_ONLY;
  if (only !== 'handshakes') for (const size of [1024, 65536]) await throughput(size);
  if (only !== 'throughput') await handshakes(Number(process.env.BENCH_DIALERS ?? 8));
}

await main();
