// `pnpm demo`: a local Status network on 127.0.0.1 built from what status-ts has so far.
import { runLocalNetwork } from './network.js';

console.log('Starting a local Status network on 127.0.0.1:');
console.log('  a rendezvous server (/rend/0.1.0 over libp2p)');
console.log('  relayer-1 — relayer-2 — bridge (waku/1 + shh/6) — legacy-whisper (shh/6 only), static links');
console.log('  mailserver (SQLite archive) on relayer-2');
console.log(
  '  relayers, bridge and mailserver register their ENRs (roles whisper / whispermail) at rendezvous',
);
console.log('  alice and bob (light clients) find 2 relayers + 1 mailserver through rendezvous (PeerPool)');
console.log(
  '  alice posts signed Status chat messages (ApplicationMetadataMessage, Lamport clock) to a public chat\n',
);

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
console.log('\nPeer pools:');
for (const fill of report.pools) {
  const sources = [...new Set(fill.peers.map((p) => p.source))].join(' + ');
  console.log(
    `${fill.label.padEnd(15)} ${fill.start} start, full in ${fill.fullMs.toFixed(0)} ms via ${sources}; ` +
      `mailserver ${fill.mailserver} (probe round trip ${fill.mailserverRttMs?.toFixed(1) ?? '?'} ms)`,
  );
}
const { registrations, stats } = report.rendezvous;
console.log(
  `\nrendezvous: ${registrations.length} nodes registered (${stats.registered} REGISTER answered, ` +
    `${stats.discovered} DISCOVER); ${report.deliveries.length} deliveries; backbone linked in ` +
    `${report.linkMs.toFixed(0)} ms. Stopping.`,
);
await report.stop();
