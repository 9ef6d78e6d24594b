// `pnpm demo`: a local Status network on 127.0.0.1 built from what status-ts has so far.
import { runLocalNetwork } from './network.js';

console.log('Starting a local Status network on 127.0.0.1:');
console.log('  relayer-1 — relayer-2 — bridge (waku/1 + shh/6) — legacy-whisper (shh/6 only)');
console.log('  mailserver (SQLite archive) on relayer-2');
console.log('  alice (light client) on relayer-1, bob (light client) on relayer-2 and the mailserver\n');

const report = await runLocalNetwork({ onEvent: (line) => console.log(`  ${line}`) });

console.log('\nNodes:');
for (const node of report.nodes) {
  const { account, server, waku, enr } = node;
  const c = waku.counters;
  console.log(`${node.label.padEnd(15)} ${node.role.padEnd(13)} ${account.name}`);
  console.log(`${''.padEnd(15)} chat key ${account.compressedKey}`);
  console.log(`${''.padEnd(15)} enr      ${enr.encodeText()}`);
  console.log(`${''.padEnd(15)} enode    ${server.enode}`);
  console.log(
    `${''.padEnd(15)} peers ${waku.peers.map((p) => `${p.protocol}:${p.idHex.slice(0, 8)}`).join(' ')}` +
      ` | envelopes posted ${c.envelopesPosted}, received ${c.envelopesReceived}, accepted ${c.envelopesAccepted}`,
  );
}
console.log(
  `\n${report.deliveries.length} deliveries; all nodes linked in ${report.linkMs.toFixed(0)} ms. Stopping.`,
);
await Promise.all(report.nodes.map((n) => n.stop()));
