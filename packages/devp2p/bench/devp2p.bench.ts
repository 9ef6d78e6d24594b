// devp2p figures: status-ts RLPx vs @ethereumjs/devp2p on 127.0.0.1, both ends of each pair in this process.
//
// Throughput, per message size (256 B to 64 KB, random payloads like encrypted Waku envelopes, so snappy finds
// nothing to compress): one connected pair per side, the sender pushes n messages through the capability API
// and a call ends when the receiver's capability has got all n. Snappy off (Hello version 4 on both sides) is
// the headline and the chart: the same bytes through the same cipher and MAC as the bound. Snappy on (version 5,
// what go-ethereum and status-go run) is printed and recorded beside it.
//
// The bound (boundPipe) is what carrying those messages needs at the least: raw node:net loopback, the exact
// wire bytes of each RLPx frame (header, header MAC, padded body, frame MAC), on each side AES-CTR over header
// and body, keccak over the body and the header and frame MAC steps (4 digests, 2 AES blocks, 2 16-byte
// absorbs). The sender corks its writes and flushes every BOUND_FLUSH bytes; the receiver works on the chunks
// in place. No framing state machine, MAC comparison, payload copy, snappy, Hello, queues or promises per
// message. Ours does all of the bound's work and more, so a round with ours above 100% of the bound is the
// shared machine's noise (or a batching effect the bound missed), not cheaper crypto. All three count MB/s of
// payload (message bytes; the frame overhead is carried but not counted).
//
// Handshakes: fresh TCP connect + RLPx handshake + Hello + disconnect, 8 concurrent dialers, on each side.
//
// Rounds: the shared harness (tools/bench/harness.ts) runs every workload once per round, the order ALTERNATING
// (even rounds bound, ours off, theirs off, ours on, theirs on, odd rounds the reverse; handshakes ours, theirs
// then theirs, ours); each call lasts about CALL_MS (its message count is calibrated once before the rounds).
// Figures are the median with the interquartile range; "ours faster by" and the share of the bound are medians
// of per-round ratios.
// Prints figures and never fails a build. `--quick` runs fewer sizes and shorter rounds (a smoke run).
// Env knobs: BENCH_MS (per workload call), BENCH_ROUNDS, BENCH_DIALERS, BENCH_ONLY (throughput|handshakes),
// BENCH_SIZES (comma-separated message sizes in bytes).
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
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
import {
  describeLoad,
  type FigureRow,
  formatSpread,
  interleavedRounds,
  machineLoad,
  pairedRatios,
  pairedSpeedups,
  recordFigure,
  type Spread,
  summarize,
  type Workload,
} from '../../../tools/bench/harness.js';
import { type Capability, type CapabilityStream, Server } from '../src/index.js';
import { EthTestProtocol, listenEth, makeEthRlpx, stopEth } from '../test/helpers/ethjs.js';

const quick = process.argv.includes('--quick');
const CALL_MS = Number(process.env.BENCH_MS ?? (quick ? 40 : 150));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (quick ? 3 : 9));
const DIALERS = Number(process.env.BENCH_DIALERS ?? 8);
const SIZES = process.env.BENCH_SIZES
  ? process.env.BENCH_SIZES.split(',').map(Number)
  : quick
    ? [1024, 65536]
    : [256, 1024, 4096, 16384, 65536];
const WRITE_LIMIT = 1024 * 1024;
/** The bound flushes its corked writes every 256 KiB: the fastest of 16 KiB to 1 MiB tried here (ours: 1 MiB). */
const BOUND_FLUSH = 256 * 1024;
const ETHJS = `@ethereumjs/devp2p ${
  (
    JSON.parse(
      readFileSync(new URL('../node_modules/@ethereumjs/devp2p/package.json', import.meta.url), 'utf8'),
    ) as { version: string }
  ).version
}`;
const BOUND = 'AES-CTR + MAC + TCP';

/** A connected pair: `run(n)` moves n messages end to end. */
interface Pipe {
  run(n: number): Promise<void>;
  close(): Promise<void>;
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
 * One RLPx MAC step (src/rlpx/mac.ts): a digest, one AES block of it, a 16-byte absorb, the digest that is
 * the MAC. A header takes one step, a frame one more after absorbing its body.
 */
function macStep(mac: Keccak256Hasher, ecb: AesBlockEncryptor): Uint8Array {
  mac.update(ecb(mac.digest().subarray(0, 16)));
  return mac.digest().subarray(0, 16);
}

/** The bound (see the top of the file): RLPx frames' bytes and crypto over raw node:net, no protocol. */
async function boundPipe(size: number): Promise<Pipe> {
  const key = randomBytes(32);
  const iv = new Uint8Array(16);
  const bodySize = (size + 1 + 15) & ~15; // padded rlp(code) || payload
  const wireSize = 32 + bodySize + 16; // header, header MAC, body, frame MAC: what ours puts on the wire
  let frames = 0;
  let target = Number.POSITIVE_INFINITY;
  let waiter: (() => void) | undefined;
  const listener = createServer((socket) => {
    const aes = createAesCtr(key, iv);
    const mac = createKeccak256();
    const ecb = createAesEcbEncryptor(key);
    let at = 0; // offset in the current frame
    socket.on('data', (chunk: Buffer) => {
      // Each byte range of the chunk gets exactly its frame part's work, in place (no reassembly copy).
      for (let i = 0; i < chunk.length; ) {
        const end = at < 16 ? 16 : at < 32 ? 32 : at < 32 + bodySize ? 32 + bodySize : wireSize;
        const n = Math.min(end - at, chunk.length - i);
        if (at < 16) aes.update(chunk.subarray(i, i + n));
        else if (at >= 32 && at < 32 + bodySize) {
          const part = chunk.subarray(i, i + n);
          mac.update(part);
          aes.update(part);
        }
        at += n;
        i += n;
        if (at === 16)
          macStep(mac, ecb); // header MAC
        else if (at === wireSize) {
          macStep(mac, ecb); // frame MAC
          at = 0;
          if (++frames >= target) waiter?.();
        }
      }
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
  const plain = new Uint8Array(16 + bodySize);
  plain.set(randomBytes(size), 17);
  return {
    async run(n) {
      target = frames + n;
      const done = new Promise<void>((r) => (waiter = r));
      socket.cork();
      for (let i = 0; i < n; i++) {
        const ct = aes.update(plain);
        const frame = new Uint8Array(wireSize);
        frame.set(ct.subarray(0, 16), 0);
        frame.set(macStep(mac, ecb), 16);
        const body = ct.subarray(16);
        frame.set(body, 32);
        mac.update(body);
        frame.set(macStep(mac, ecb), 32 + bodySize);
        socket.write(frame);
        if (socket.writableLength > BOUND_FLUSH) {
          socket.uncork();
          await once(socket, 'drain');
          socket.cork();
        }
      }
      socket.uncork();
      await done;
    },
    async close() {
      socket.destroy();
      await new Promise((r) => listener.close(r));
    },
  };
}

const sizeLabel = (size: number) => (size >= 1024 ? `${size / 1024} KB` : `${size} B`);
const fmt = (s: Spread, digits = 1) => formatSpread(s, digits);
const times = (s: Spread) => `${formatSpread(s, 1)}x`;
const pct = (s: Spread) =>
  `${(s.median * 100).toFixed(0)}% [${(s.low * 100).toFixed(0)}–${(s.high * 100).toFixed(0)}%]`;

/** Messages per call so that one call of `pipe` lasts about CALL_MS (after a warm-up call). */
async function calibrate(pipe: Pipe, size: number, slow: boolean): Promise<number> {
  const probe = Math.max(4, Math.floor((slow ? 100_000 : 1_000_000) / size));
  await pipe.run(probe); // warm-up: JIT, socket buffers
  const started = performance.now();
  await pipe.run(probe);
  const ms = Math.max(performance.now() - started, 1);
  return Math.max(4, Math.round((probe * CALL_MS) / ms));
}

type Row = Omit<FigureRow, 'package' | 'loadBefore' | 'loadAfter'>;

/** One message size: bound, ours and theirs with snappy off and on, interleaved rounds. */
async function throughput(size: number, rows: Row[]): Promise<void> {
  const pipes = {
    bound: await boundPipe(size),
    oursOff: await oursPipe(size, false),
    theirsOff: await theirsPipe(size, false),
    oursOn: await oursPipe(size, true),
    theirsOn: await theirsPipe(size, true),
  };
  const workloads = {} as Record<keyof typeof pipes, Workload>;
  for (const name of Object.keys(pipes) as (keyof typeof pipes)[]) {
    const pipe = pipes[name];
    const n = await calibrate(pipe, size, name.startsWith('theirs'));
    workloads[name] = { ops: n, run: () => pipe.run(n) };
  }
  const msgs = await interleavedRounds(workloads, { rounds: ROUNDS, warmup: 0, alternate: true });
  for (const pipe of Object.values(pipes)) await pipe.close();
  const mb = (xs: number[]) => xs.map((x) => (x * size) / 1e6);
  const bound = summarize(mb(msgs.bound));
  console.log(
    `${sizeLabel(size)} messages, MB/s of payload (median [interquartile range], ${ROUNDS} rounds)`,
  );
  console.log(`  bound, ${BOUND}: ${fmt(bound)}`);
  for (const [mode, ours, theirs] of [
    ['snappy off', msgs.oursOff, msgs.theirsOff],
    ['snappy on', msgs.oursOn, msgs.theirsOn],
  ] as const) {
    const o = summarize(mb(ours));
    const t = summarize(mb(theirs));
    const ratio = summarize(pairedSpeedups(ours, theirs, 'higher'));
    const share = summarize(pairedRatios(ours, msgs.bound));
    console.log(
      `  ${mode.padEnd(10)} ours ${fmt(o)} | ethereumjs ${fmt(t, 2)} | ours faster by ${times(ratio)} | ${pct(share)} of bound`,
    );
    rows.push({
      figure:
        mode === 'snappy off'
          ? `RLPx throughput, ${sizeLabel(size)} messages`
          : `RLPx throughput, snappy on, ${sizeLabel(size)} messages`,
      unit: 'MB/s',
      ours: o,
      peer: { name: ETHJS, value: t, ratio },
      bound: { name: BOUND, value: bound, share },
      ...(mode === 'snappy off' ? { series: { name: 'rlpx-throughput', x: size } } : {}),
    });
  }
}

/** `count` handshakes spread over `dialers` concurrent loops. */
function handshakeWorkload(loop: () => Promise<void>, count: number): Workload {
  return {
    ops: count,
    run: async () => {
      let left = count;
      await Promise.all(
        Array.from({ length: DIALERS }, async () => {
          while (left > 0) {
            left--;
            await loop();
          }
        }),
      );
    },
  };
}

async function handshakes(rows: Row[]): Promise<void> {
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
    { length: DIALERS },
    () => new Server({ privateKey: generatePrivateKey(), listen: false, capabilities: [cap()] }),
  );
  await Promise.all(ourDialers.map((d) => d.start()));
  let nextOurs = 0;
  const oursLoop = async () => {
    const d = ourDialers[nextOurs++ % DIALERS]!;
    const peer = await d.dial(server.enode);
    const closed = once(peer as never, 'closed');
    peer.disconnect(8);
    await closed;
  };

  const keyB = generatePrivateKey();
  const theirServer = makeEthRlpx(keyB, { name: 'bench', length: 4, maxPeers: 1000 });
  const port = await listenEth(theirServer);
  const id = getPublicKey(keyB, 'raw');
  const theirDialers = Array.from({ length: DIALERS }, () =>
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

  // Calibrate each side's count per call from a warm-up of 2 handshakes per dialer.
  const perCall = async (loop: () => Promise<void>) => {
    const probe = handshakeWorkload(loop, 2 * DIALERS);
    await probe.run();
    const started = performance.now();
    await probe.run();
    const ms = Math.max(performance.now() - started, 1);
    return Math.max(DIALERS, Math.round((2 * DIALERS * CALL_MS * 2) / ms));
  };
  const nOurs = await perCall(oursLoop);
  const nTheirs = await perCall(theirsLoop);
  const rates = await interleavedRounds(
    { ours: handshakeWorkload(oursLoop, nOurs), theirs: handshakeWorkload(theirsLoop, nTheirs) },
    { rounds: ROUNDS, warmup: 0, alternate: true },
  );
  await Promise.all([server.stop(), ...ourDialers.map((d) => d.stop())]);
  for (const d of theirDialers) stopEth(d);
  stopEth(theirServer);
  const o = summarize(rates.ours);
  const t = summarize(rates.theirs);
  const ratio = summarize(pairedSpeedups(rates.ours, rates.theirs, 'higher'));
  console.log(
    `handshakes/s (TCP + RLPx + Hello + disconnect, ${DIALERS} concurrent dialers): ours ${fmt(o, 0)} | ethereumjs ${fmt(t, 1)} | ours faster by ${times(ratio)}`,
  );
  rows.push({
    figure: `RLPx handshakes (TCP + RLPx + Hello, ${DIALERS} concurrent dialers)`,
    unit: 'handshakes/s',
    ours: o,
    peer: { name: ETHJS, value: t, ratio },
  });
}

async function main(): Promise<void> {
  const loadBefore = machineLoad();
  const backends = await initFastCrypto();
  console.log(
    `devp2p loopback benchmark vs ${ETHJS} (node ${process.version}; keccak ${backends.keccak256}, aes-ctr ${backends.aesCtr}, aes block ${backends.aesEcb}, secp256k1 ${backends.secp256k1}, ecdh ${backends.ecdh})`,
  );
  console.log(
    `${describeLoad(loadBefore)} before; ${ROUNDS} interleaved rounds in alternating order, ~${CALL_MS} ms per workload call${quick ? '; --quick (smoke run)' : ''}\n`,
  );
  const rows: Row[] = [];
  const only = process.env.BENCH_ONLY;
  if (only !== 'handshakes') for (const size of SIZES) await throughput(size, rows);
  if (only !== 'throughput') await handshakes(rows);
  const loadAfter = machineLoad();
  console.log(`\n${describeLoad(loadAfter)} after`);
  for (const row of rows) {
    recordFigure({ package: 'devp2p', ...row, loadBefore: loadBefore.load1, loadAfter: loadAfter.load1 });
  }
}

await main();
