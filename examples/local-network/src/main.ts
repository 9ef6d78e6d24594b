// `pnpm demo`: a local Status network on 127.0.0.1 showing what status-ts can do so far.
import { startLocalNetwork } from './network.js';

const size = Number(process.env.NODES ?? 5);
const started = performance.now();
console.log(`Starting ${size} Status nodes on 127.0.0.1 and linking them in a ring over RLPx v5...\n`);

const network = await startLocalNetwork({
  size,
  onGreeting: (g) => console.log(`  ${g.to.padEnd(36)} <- greeted by ${g.from}`),
});
const elapsed = performance.now() - started;

console.log('\nNodes:');
for (const [i, node] of network.nodes.entries()) {
  const { account, server, enr } = node;
  console.log(`#${i} ${account.name}`);
  console.log(`   chat key  ${account.compressedKey}`);
  console.log(`   wallet    ${account.address}`);
  console.log(`   enode     ${server.enode}`);
  console.log(`   enr       ${enr.encodeText()}`);
  const peers = server.peers.map((p) => {
    const s = p.stats;
    return `${p.idHex.slice(0, 8)}… (${s.bytesOut} B out, ${s.bytesIn} B in)`;
  });
  console.log(`   peers     ${peers.join(', ')}`);
}
console.log(`\nAll ${size} nodes linked and greeted in ${elapsed.toFixed(0)} ms. Stopping.`);
await network.stop();
