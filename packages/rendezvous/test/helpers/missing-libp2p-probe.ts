// Child program for libp2p-missing.test.ts, run with `--import ./without-libp2p.mjs`: loads the libp2p
// subpath without the libp2p stack and prints, as JSON, how each call that needs the stack fails.
import type { Libp2p } from '@libp2p/interface';
import {
  createRendezvousLibp2p,
  ephemeralLibp2pKey,
  formatRendezvousAddress,
  libp2pDialer,
  parseRendezvousAddress,
  peerIdFromSecp256k1,
  runRendezvousServer,
} from '../../src/libp2p/index.js';

const ADDRESS = '/ip4/127.0.0.1/tcp/30703/ethv4/16Uiu2HAmBEXampleEXampleEXampleEXampleEXampleEXampleEX';
const key = new Uint8Array(32).fill(7);

async function outcome(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
    return 'resolved';
  } catch (err) {
    const { name, code, dependency, message } = err as Record<string, unknown>;
    return { name, code, dependency, message };
  }
}

const outcomes = {
  createRendezvousLibp2p: await outcome(() => createRendezvousLibp2p()),
  runRendezvousServer: await outcome(() => runRendezvousServer()),
  ephemeralLibp2pKey: await outcome(() => ephemeralLibp2pKey()),
  peerIdFromSecp256k1: await outcome(() => peerIdFromSecp256k1(key)),
  parseRendezvousAddress: await outcome(() => parseRendezvousAddress(ADDRESS)),
  formatRendezvousAddress: await outcome(() => formatRendezvousAddress('/ip4/127.0.0.1/tcp/1', 'x')),
  'libp2pDialer().dial': await outcome(() =>
    libp2pDialer({} as Libp2p).dial(ADDRESS, AbortSignal.timeout(1_000)),
  ),
};
process.stdout.write(`${JSON.stringify(outcomes)}\n`);
