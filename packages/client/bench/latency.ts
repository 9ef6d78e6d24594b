/**
 * Send → receive latency and 1:1 throughput (issue 17, first part), unchanged from the first bench: a relayer
 * and two mobile nodes on 127.0.0.1; for public and 1:1 messages the latency p50/p99 over sequential sends
 * (each waits for the previous to arrive) and the time Alice spends in `send` itself (mostly the envelope's
 * PoW); then the 1:1 throughput through every layer (pipelined sends until all arrive).
 */
import { generatePrivateKey } from '@status-ts/crypto';
import type { StatusNode } from '../src/index.js';
import { localNode } from './local-node.js';
import { percentile } from './stats.js';

const SEQUENTIAL = 50;
const PIPELINED = 200;

function nextMessage(node: StatusNode, text: string): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (message: { text: string; outgoing: boolean }) => {
      if (message.outgoing || message.text !== text) return;
      node.off('message', onMessage);
      resolve(performance.now());
    };
    node.on('message', onMessage);
  });
}

export async function runLatency(): Promise<void> {
  const relayer = localNode({ identity: { privateKey: generatePrivateKey() }, role: 'relayer' });
  await relayer.start();
  const alice = localNode({
    identity: { privateKey: generatePrivateKey() },
    staticPeers: [relayer.enode!],
  });
  const bob = localNode({
    identity: { privateKey: generatePrivateKey() },
    staticPeers: [relayer.enode!],
  });
  await Promise.all([alice.start(), bob.start()]);
  await Promise.all([alice.waitForPeers(), bob.waitForPeers()]);
  alice.joinPublicChat('bench');
  bob.joinPublicChat('bench');

  console.log('kind | messages | latency p50 ms | latency p99 ms | time in send p50 ms (PoW, encryption)');
  console.log('--- | --- | --- | --- | ---');
  for (const kind of ['public', '1:1'] as const) {
    const latencies: number[] = [];
    const sendTimes: number[] = [];
    for (let i = 0; i < SEQUENTIAL + 5; i++) {
      const text = `${kind} ${i}`;
      const arrived = nextMessage(bob, text);
      const t0 = performance.now();
      if (kind === 'public') await alice.sendPublicMessage('bench', text);
      else await alice.sendDirectMessage(bob.identity.id, text);
      const t1 = performance.now();
      const t2 = await arrived;
      if (i < 5) continue; // warm-up (first contact, sessions, JIT)
      latencies.push(t2 - t0);
      sendTimes.push(t1 - t0);
    }
    console.log(
      `${kind} | ${SEQUENTIAL} | ${percentile(latencies, 50).toFixed(1)} | ${percentile(latencies, 99).toFixed(1)} | ${percentile(sendTimes, 50).toFixed(1)}`,
    );
  }

  // 1:1 throughput: send PIPELINED messages without waiting, until Bob has them all.
  let received = 0;
  const all = new Promise<void>((resolve) =>
    bob.on('message', (message) => {
      if (!message.outgoing && message.text.startsWith('burst ') && ++received === PIPELINED) resolve();
    }),
  );
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: PIPELINED }, (_, i) => alice.sendDirectMessage(bob.identity.id, `burst ${i}`)),
  );
  await all;
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `\n1:1 throughput through every layer: ${PIPELINED} messages in ${seconds.toFixed(2)} s = ${(PIPELINED / seconds).toFixed(0)} messages/s`,
  );
  await Promise.all([alice.stop(), bob.stop(), relayer.stop()]);
}
