// `status-ts-rendezvous-server`: a standalone rendezvous server. Prints its multiaddr(s), one per line.
//   --listen <multiaddr>   repeatable; default /ip4/0.0.0.0/tcp/30703
//   --key <hex>            32-byte secp256k1 key (hex) for a stable peer id; default: a new one each run
//   --key-file <path>      read the key (hex) from a file, creating it with a new key if missing
//   --db <path>            SQLite file for registrations (survive restarts); default: in memory
//   --announce <ip>        print this IP instead of the listen IP (e.g. the public address)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  bytesToHex,
  hexToBytes,
  isStatusTsError,
  MISSING_DEPENDENCY,
  type MissingDependencyError,
} from '@status-ts/core';
import { randomBytes } from '@status-ts/crypto';
import { LIBP2P_STACK, runRendezvousServer } from './libp2p/index.js';
import { openRendezvousSqliteStore } from './sqlite/index.js';

function loadKey(key: string | undefined, keyFile: string | undefined): Uint8Array | undefined {
  if (key) return hexToBytes(key.trim());
  if (!keyFile) return undefined;
  if (existsSync(keyFile)) return hexToBytes(readFileSync(keyFile, 'utf8').trim());
  const fresh = randomBytes(32);
  writeFileSync(keyFile, `${bytesToHex(fresh)}\n`, { mode: 0o600 });
  return fresh;
}

const { values } = parseArgs({
  options: {
    listen: { type: 'string', multiple: true },
    key: { type: 'string' },
    'key-file': { type: 'string' },
    db: { type: 'string' },
    announce: { type: 'string' },
  },
});

/** One line saying what to install; the libp2p stack is named whole, since the server needs all of it. */
function installHint(err: MissingDependencyError): string {
  if (!(LIBP2P_STACK as readonly string[]).includes(err.dependency)) {
    return `status-ts-rendezvous-server: ${err.message}`;
  }
  return `status-ts-rendezvous-server needs the libp2p stack, optional peer dependencies of @status-ts/rendezvous ("${err.dependency}" is missing): run \`npm install ${LIBP2P_STACK.join(' ')}\``;
}

async function start() {
  try {
    return await runRendezvousServer({
      privateKey: loadKey(values.key, values['key-file']),
      listen: values.listen ?? ['/ip4/0.0.0.0/tcp/30703'],
      store: values.db ? openRendezvousSqliteStore(values.db) : undefined,
    });
  } catch (err) {
    if (!isStatusTsError(err, MISSING_DEPENDENCY)) throw err;
    process.stderr.write(`${installHint(err as MissingDependencyError)}\n`);
    process.exit(1);
  }
}

const running = await start();
for (const address of running.addresses) {
  const shown = values.announce ? address.replace(/^\/ip4\/[^/]+/, `/ip4/${values.announce}`) : address;
  process.stdout.write(`${shown}\n`);
}

let stopping = false;
const shutdown = () => {
  if (stopping) return;
  stopping = true;
  running.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
