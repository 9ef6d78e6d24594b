// `pnpm demo`: a local Status network on 127.0.0.1, built from @status-ts/client nodes, and a short story
// of Alice, Bob and Carol on it.
import { runDemo } from './demo.js';
import { summaryLines } from './summary.js';

console.log(`A local Status network on 127.0.0.1, every node with a fresh key:
  a bootstrap node (discv5 + rendezvous) and the local fleet naming it, instead of eth.prod;
  two relayers and a mailserver (SQLite archive) that find each other through it;
  a Whisper bridge (waku/1 + shh/6) and a legacy node speaking shh/6 only;
  Alice, Bob and Carol on mobile nodes that find 2–3 relayers by discovery and use the fleet's mailserver.
They chat in public, 1:1 (with delivery states) and in a group; Bob goes offline and reads history.`);

const report = await runDemo({
  section: (title) => console.log(`\n${title}`),
  say: (line) => console.log(`  ${line}`),
});
console.log('\nSummary\n');
for (const line of summaryLines(report)) console.log(line);
const stopped = await report.stop();
console.log(`\nStopped ${stopped.nodes} nodes in ${stopped.ms.toFixed(0)} ms and removed ${report.dataDir}.`);
