import { hexToBytes } from '@status-ts/core';
import { getPublicKey } from '@status-ts/crypto';
import { Bench } from 'tinybench';
import { Enr, rlpDecode, rlpEncode } from '../src/index.js';

// Figures only; a benchmark never fails a build.
const privateKey = hexToBytes('b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291');
const enrText =
  'enr:-IS4QHCYrYZbAKWCBRlAy5zzaDZXJBGkcnh4MHcBFZntXNFrdvJjX04jRzjzCBOonrkTfj499SZuOh8R33Ls8RRcy5wBgmlkgnY0gmlwhH8AAAGJc2VjcDI1NmsxoQPKY0yuDUmstAHYpMa2_oxVtw0RW_QAdpzBQA8yWM0xOIN1ZHCCdl8';
const enrBytes = Enr.decodeText(enrText).encode();

// A typical devp2p Hello: [5, clientId, [[cap, version], ...], listenPort, nodeId(64)].
const hello = [
  5,
  'status-ts/v0.1.0/linux-x64/node-v20',
  [
    ['waku', 1],
    ['shh', 6],
  ],
  0,
  getPublicKey(privateKey, 'raw'),
];
const helloBytes = rlpEncode(hello);

// A 1 KiB list of 32-byte strings (31 items x 33 bytes = 1023-byte payload).
const list1k = Array.from({ length: 31 }, (_, i) => new Uint8Array(32).fill(i));
const list1kBytes = rlpEncode(list1k);

const bench = new Bench({ time: 500 });
bench
  .add('ENR decode + verify (text)', () => {
    Enr.decodeText(enrText);
  })
  .add('ENR decode + verify (RLP)', () => {
    Enr.decode(enrBytes);
  })
  .add('ENR create + sign', () => {
    Enr.create({ privateKey, seq: 1, ip: '127.0.0.1', udp: 30303 });
  })
  .add(`RLP encode devp2p Hello (${helloBytes.length} B)`, () => {
    rlpEncode(hello);
  })
  .add(`RLP decode devp2p Hello (${helloBytes.length} B)`, () => {
    rlpDecode(helloBytes);
  })
  .add(`RLP encode list of 32-byte strings (${list1kBytes.length} B)`, () => {
    rlpEncode(list1k);
  })
  .add(`RLP decode list of 32-byte strings (${list1kBytes.length} B)`, () => {
    rlpDecode(list1kBytes);
  });

await bench.run();
console.table(
  bench.tasks.map((task) => {
    const result = task.result as { throughput?: { mean: number }; latency?: { mean: number } } | undefined;
    return {
      task: task.name,
      'ops/s': Math.round(result?.throughput?.mean ?? 0),
      'mean (µs)': Number(((result?.latency?.mean ?? 0) * 1000).toFixed(2)),
    };
  }),
);
