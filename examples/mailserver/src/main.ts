// `pnpm start [--db ./mailserver.db] [--port 30303] [--host 127.0.0.1]`: a mailserver on the embedded
// SQLite store. Env MAILSERVER_DB, MAILSERVER_PORT, MAILSERVER_HOST work too; arguments win.
import { parseArgs } from 'node:util';
import { startMailserverNode } from './mailserver.js';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: process.env.MAILSERVER_DB ?? './mailserver.db' },
    port: { type: 'string', default: process.env.MAILSERVER_PORT ?? '30303' },
    host: { type: 'string', default: process.env.MAILSERVER_HOST ?? '127.0.0.1' },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`invalid port: ${values.port}`);
  process.exit(2);
}

const ms = await startMailserverNode({ dbPath: values.db, host: values.host, port });
console.log(`mailserver listening, store ${values.db} (${await ms.store.count()} envelopes)`);
console.log(ms.enode);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping`);
  await ms.stop();
  const c = ms.mailserver.counters;
  console.log(`stopped: archived ${c.archived}, requests ${c.requests}, served ${c.served}`);
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
