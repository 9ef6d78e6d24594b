import { cryptoBackends, initFastCrypto } from '@status-ts/crypto';
import { type Enr, rlpDecode, rlpToList } from '@status-ts/enr';
import {
  describeLoad,
  type FigureRow,
  formatSpread,
  interleavedRounds,
  machineLoad,
  recordFigure,
  type Spread,
  summarize,
  type Workload,
} from '../../../tools/bench/harness.js';
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

// Rendezvous benchmark, ours only (no other implementation of /rend/0.1.0 runs in Node, so no peer column):
// 1. codec encode/decode in memory (ENR signature check included, as a server pays it);
// 2. REGISTER and DISCOVER per second through the server, over in-memory streams and over js-libp2p (TCP +
//    Noise + yamux) on 127.0.0.1, one stream per request as status-go does, CONCURRENCY requests in flight from
//    one client node in the same process (client and server share the CPU). Each transport twice: raw frames
//    (server capacity) and through RendezvousClient (which also verifies the 10 ENRs of every DISCOVER answer).
// All workloads of a section run in interleaved rounds (tools/bench/harness.ts): median [quartiles].
//
// Registrations and time: the servers here accept a TTL of BENCH_TTL_S and every REGISTER of the bench uses
// it, so no record can expire while the bench runs, however slow the machine (a 10 s TTL did, and DISCOVER
// then measured a thinning store). Every record is registered before the first DISCOVER round, each round
// registers again, every DISCOVER answer must hold 10 records, and a round that ends after the oldest
// registration's expiry is dropped from the figures (printed, never expected within BENCH_TTL_S).
// Prints figures only; never fails a build. `--quick`: a smoke run (few requests and rounds).

const quick = process.argv.includes('--quick');
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? (quick ? 100 : 500));
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const ROUNDS = quick ? 2 : 7;
const RECORDS = 200;
/** Longer than any bench run: a registration made by the bench outlives it. */
const BENCH_TTL_S = 3600;
const BENCH_TTL_NS = BigInt(BENCH_TTL_S) * 1_000_000_000n;
const DISCOVER_RECORDS = 10;

const started = performance.now();
const loadBefore = machineLoad();
const rows: Omit<FigureRow, 'loadBefore' | 'loadAfter'>[] = [];
const line = (label: string, s: Spread, unit: string) =>
  console.log(`  ${label.padEnd(52)} ${formatSpread(s)} ${unit}`);

/** Runs `fn` `count` times with `concurrency` calls in flight. */
async function loop(count: number, concurrency: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await fn(next++);
    }),
  );
}

/** Counts DISCOVER answers short of 10 records (a thinning store): any makes the figures void. */
let shortAnswers = 0;
/** When the oldest live registration made by the bench was made (ms, performance clock). */
let oldestRegistration = Number.POSITIVE_INFINITY;

interface Target {
  label: string;
  register: Workload;
  discover: Workload;
}

/** Raw frames and raw answers: server capacity, not capped by the client's ENR checks. */
function rawTarget(label: string, dialer: RendezvousDialer, address: string, records: Enr[]): Target {
  const registers = records.map((record) =>
    encodeFrame(MessageType.Register, encodeRegister({ topic: 'whisper', record, ttlNs: BENCH_TTL_NS })),
  );
  const discover = encodeFrame(
    MessageType.Discover,
    encodeDiscover({ limit: DISCOVER_RECORDS, topic: 'whisper' }),
  );
  const request = async (frame: Uint8Array): Promise<Uint8Array> => {
    const stream = await dialer.dial(address, new AbortController().signal);
    await stream.write(frame);
    await stream.closeWrite();
    const reader = new FrameReader(stream.source);
    await reader.next();
    const body = (await reader.next())!;
    await reader.next();
    return body;
  };
  return {
    label,
    register: {
      ops: REQUESTS,
      run: () =>
        loop(REQUESTS, CONCURRENCY, async (i) => {
          const body = await request(registers[i % registers.length]!);
          if (decodeRegisterResponse(body).status !== 0) throw new Error('register refused');
        }),
    },
    discover: {
      ops: REQUESTS,
      run: () =>
        loop(REQUESTS, CONCURRENCY, async () => {
          // Counts the records without decoding them: the client's ENR checks are not server capacity.
          const [, , list] = rlpToList(rlpDecode(await request(discover)), 3);
          if (rlpToList(list!).length < DISCOVER_RECORDS) shortAnswers++;
        }),
    },
  };
}

function clientTarget(label: string, client: RendezvousClient, address: string, records: Enr[]): Target {
  return {
    label,
    register: {
      ops: REQUESTS,
      run: () =>
        loop(REQUESTS, CONCURRENCY, (i) =>
          client.register(address, 'whisper', records[i % records.length]!, { ttlNs: BENCH_TTL_NS }),
        ),
    },
    discover: {
      ops: REQUESTS,
      run: () =>
        loop(REQUESTS, CONCURRENCY, async () => {
          const answer = await client.discover(address, 'whisper', { limit: DISCOVER_RECORDS });
          if (answer.records.length < DISCOVER_RECORDS) shortAnswers++;
        }),
    },
  };
}

const backends = await initFastCrypto();
console.log(
  `node ${process.version}; ${describeLoad(loadBefore)} before${quick ? '; --quick (smoke run)' : ''}\n` +
    `crypto: keccak ${backends.keccak256}, secp256k1 ${cryptoBackends().secp256k1 ?? 'noble'}; ` +
    `${REQUESTS} requests per workload, ${CONCURRENCY} in flight, ${ROUNDS} interleaved rounds, TTL ${BENCH_TTL_S} s`,
);
const records = Array.from({ length: RECORDS }, () => testEnr());

// ------------------------------------------------------------------ 1. codec
{
  const register = encodeRegister({ topic: 'whisper', record: records[0]!, ttlNs: BENCH_TTL_NS });
  const answer = encodeDiscoverResponse({ status: 0, records: records.slice(0, DISCOVER_RECORDS) });
  const scale = quick ? 0.2 : 1;
  const workloads = {
    encode: {
      ops: Math.round(20_000 * scale),
      run: () => {
        for (let i = 0; i < 20_000 * scale; i++)
          encodeRegister({ topic: 'whisper', record: records[i % RECORDS]!, ttlNs: 1n });
      },
    },
    decode: {
      ops: Math.round(1000 * scale),
      run: () => {
        for (let i = 0; i < 1000 * scale; i++) decodeRegister(register);
      },
    },
    answer: {
      ops: Math.round(100 * scale),
      run: () => {
        for (let i = 0; i < 100 * scale; i++) decodeDiscoverResponse(answer);
      },
    },
  } satisfies Record<string, Workload>;
  const names = {
    encode: 'codec: encode REGISTER',
    decode: 'codec: decode REGISTER (+ ENR signature check)',
    answer: `codec: decode DISCOVER_RESPONSE of ${DISCOVER_RECORDS} ENRs`,
  } as const;
  console.log(`\n## Codec, in memory (ops/s, median [quartiles] of ${ROUNDS} interleaved rounds)`);
  const rates = await interleavedRounds(workloads, { rounds: ROUNDS, warmup: 1 });
  for (const key of ['encode', 'decode', 'answer'] as const) {
    const s = summarize(rates[key]);
    line(names[key], s, '/s');
    rows.push({ package: 'rendezvous', figure: names[key], unit: 'ops/s', ours: s });
  }
}

// ------------------------------------------------------------------ 2. server throughput
// Every request comes from one client: the per-peer and per-IP limits would measure refusals.
const serverOptions = {
  rateLimit: false,
  ipRateLimit: false,
  maxRecordsPerIp: RECORDS,
  maxTtlNs: BENCH_TTL_NS,
} as const;
const memoryServer = new RendezvousServer({ store: new MemoryRegistrationStore(), ...serverOptions });
memoryServer.start();
const memoryDialer = new MemoryDialer().add('memory', memoryServer);
const running = await runRendezvousServer({ listen: ['/ip4/127.0.0.1/tcp/0'], server: serverOptions });
const node = await createRendezvousLibp2p();
const dialer = libp2pDialer(node);
const libp2pAddress = running.addresses[0]!;
const client = new RendezvousClient({ dialer });

// Every record registered on both servers before any DISCOVER (untimed; also opens the libp2p connection).
const memoryClient = new RendezvousClient({ dialer: memoryDialer });
oldestRegistration = performance.now();
for (const record of records) {
  await memoryClient.register('memory', 'whisper', record, { ttlNs: BENCH_TTL_NS });
  await client.register(libp2pAddress, 'whisper', record, { ttlNs: BENCH_TTL_NS });
}

const targets = [
  rawTarget('in-memory streams, raw frames', memoryDialer, 'memory', records),
  clientTarget('in-memory streams, RendezvousClient', memoryClient, 'memory', records),
  rawTarget('libp2p TCP+Noise+yamux, raw frames', dialer, libp2pAddress, records),
  clientTarget('libp2p TCP+Noise+yamux, RendezvousClient', client, libp2pAddress, records),
];
const workloads: Record<string, Workload> = {};
// REGISTER before DISCOVER in every round: each round refreshes every record it then discovers.
for (const [i, t] of targets.entries()) workloads[`${i}:register`] = t.register;
for (const [i, t] of targets.entries()) workloads[`${i}:discover`] = t.discover;
// Rounds whose end falls past the oldest registration's expiry would measure a thinning store: checked below.
const rates = await interleavedRounds(workloads, { rounds: ROUNDS, warmup: 1 });
const expiredBy = performance.now() - (oldestRegistration + BENCH_TTL_S * 1000);
await node.stop();
await running.stop();
await memoryServer.stop();

console.log(
  `\n## Server throughput (requests/s, median [quartiles] of ${ROUNDS} interleaved rounds; ${CONCURRENCY} in flight, one stream per request)`,
);
if (shortAnswers > 0 || expiredBy >= 0) {
  // Cannot happen within BENCH_TTL_S; printed rather than thrown: a bench never fails a build.
  console.log(
    `  VOID: ${shortAnswers} DISCOVER answers held fewer than ${DISCOVER_RECORDS} records` +
      `${expiredBy >= 0 ? `; the run outlived the ${BENCH_TTL_S} s TTL` : ''}: no figures recorded`,
  );
} else {
  for (const [i, t] of targets.entries()) {
    for (const kind of ['register', 'discover'] as const) {
      const s = summarize(rates[`${i}:${kind}`]!);
      const figure = `${kind === 'register' ? 'REGISTER' : 'DISCOVER'}, ${t.label}`;
      line(figure, s, '/s');
      rows.push({ package: 'rendezvous', figure, unit: 'requests/s', ours: s });
    }
  }
}

const loadAfter = machineLoad();
console.log(
  `\n${describeLoad(loadAfter)} after; the bench took ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
for (const row of rows) recordFigure({ ...row, loadBefore: loadBefore.load1, loadAfter: loadAfter.load1 });
