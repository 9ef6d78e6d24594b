/**
 * Issue 17: "time for Bob to fetch and decrypt 1,000 missed messages, against the sum of its parts measured
 * in the same run, target ≤ 1.5× the parts". Builds the scenario once, runs one cold round (the first
 * ever: what an app sees right after launch; printed, kept out of the medians), then rounds that interleave
 * the end-to-end measure and the parts (alternating which goes first, so warm-up and GC drift fall on both
 * sides), and prints each round, the medians with their spread, and the ratios in wall and CPU time.
 */
import { type EndToEndResult, endToEndRound } from './history-e2e.js';
import { PART_NAMES, type PartsResult, partsRound, startFetcher } from './history-parts.js';
import { buildHistoryScenario } from './history-setup.js';
import { profiled } from './profile.js';
import { median, spread, until } from './stats.js';

const TARGET_RATIO = 1.5;

const sum = (values: Record<string, number>) => Object.values(values).reduce((a, b) => a + b, 0);

/** Sums of the parts: with the fetch paced as the node runs it, with the fetch unpaced, and in CPU time. */
function sums(p: PartsResult): { paced: number; unpaced: number; cpu: number } {
  const paced = sum(p.ms);
  return { paced, unpaced: paced - p.ms.fetch + p.fetchUnpacedMs, cpu: sum(p.cpuMs) };
}

function row(label: string, e2e: EndToEndResult, parts: PartsResult): string {
  const { paced, unpaced, cpu } = sums(parts);
  const others = PART_NAMES.filter((name) => name !== 'fetch');
  return (
    `${label} | ${e2e.ms.toFixed(0)} | ${e2e.cpuMs.toFixed(0)} | ` +
    `${parts.ms.fetch.toFixed(0)} / ${parts.fetchUnpacedMs.toFixed(0)} | ` +
    `${others.map((name) => parts.ms[name].toFixed(0)).join(' | ')} | ${paced.toFixed(0)} / ${unpaced.toFixed(0)} | ` +
    `${cpu.toFixed(0)} | ${(e2e.ms / paced).toFixed(2)} / ${(e2e.ms / unpaced).toFixed(2)} | ${(e2e.cpuMs / cpu).toFixed(2)}`
  );
}

export async function runHistory(missed: number, rounds: number): Promise<void> {
  console.log(`\n## Offline history: ${missed} missed 1:1 messages`);
  const setupStart = performance.now();
  const s = await buildHistoryScenario(missed);
  const fetcher = await startFetcher(s.relayer.enode!);
  console.log(
    `Set-up (${((performance.now() - setupStart) / 1000).toFixed(1)} s, not measured): relayer with the mailserver role; ` +
      `Alice and Bob after two round trips (Bob got the last pre-offline message by: ${s.protection}, so Alice ` +
      `writes on their negotiated topic); Bob offline; Alice sent ${missed} messages, one envelope each, in ` +
      `${s.sendSeconds.toFixed(1)} s, archived; Bob asks for his ${s.topics.length} listening topics over ` +
      `[${s.from}, ${s.to}] (the offline window). Each Bob restarts from his secure-transport store as it was ` +
      'when he went offline; message store and MVDS state empty.',
  );

  // Alice's envelopes stay in the relayer's pool for their TTL (15 s) and a light node is sent the pooled
  // envelopes of its topics when it connects: Bob must get the messages from history only.
  const drainStart = performance.now();
  const drained = await until(() => s.relayer.waku.poolSize === 0, 60_000, 100);
  console.log(
    `Waited ${((performance.now() - drainStart) / 1000).toFixed(1)} s for the relayer's envelope pool to expire ` +
      `(${drained ? 'empty' : `still ${s.relayer.waku.poolSize} envelopes`}) before the first round.`,
  );

  const cold = {
    e2e: await endToEndRound(s, 'history-e2e-cold'),
    parts: await partsRound(s, fetcher),
  };
  const e2e: EndToEndResult[] = [];
  const parts: PartsResult[] = [];
  for (let round = 0; round < rounds; round++) {
    const measureE2e = () => endToEndRound(s, `history-e2e-${round + 1}`);
    const measureParts = () => profiled(`history-parts-${round + 1}`, () => partsRound(s, fetcher));
    if (round % 2 === 0) {
      e2e.push(await measureE2e());
      parts.push(await measureParts());
    } else {
      parts.push(await measureParts());
      e2e.push(await measureE2e());
    }
  }
  await fetcher.stop();
  await s.relayer.stop();

  const others = PART_NAMES.filter((name) => name !== 'fetch');
  console.log(
    `\nround | end-to-end ms | end-to-end CPU ms | fetch ms (paced / unpaced) | ${others.map((name) => `${name} ms`).join(' | ')} | ` +
      'sum of parts ms (fetch paced / unpaced) | sum of parts CPU ms | end-to-end ÷ sum, wall (paced / unpaced) | ' +
      'end-to-end ÷ sum, CPU',
  );
  console.log(`--- | --- | --- | --- | ${others.map(() => '---').join(' | ')} | --- | --- | --- | ---`);
  console.log(row('cold (first ever, e2e first; not in the medians)', cold.e2e, cold.parts));
  for (let i = 0; i < rounds; i++) {
    console.log(row(`${i + 1} (${i % 2 === 0 ? 'e2e' : 'parts'} first)`, e2e[i]!, parts[i]!));
  }
  const e2eMs = median(e2e.map((r) => r.ms));
  const e2eCpu = median(e2e.map((r) => r.cpuMs));
  const paced = parts.map((p) => sums(p).paced);
  const unpaced = parts.map((p) => sums(p).unpaced);
  const cpu = parts.map((p) => sums(p).cpu);
  const ratioPaced = e2eMs / median(paced);
  const ratio = e2eMs / median(unpaced);
  const ratioCpu = e2eCpu / median(cpu);
  console.log(
    `median (min–max) | ${spread(e2e.map((r) => r.ms))} | ${spread(e2e.map((r) => r.cpuMs))} | ` +
      `${spread(parts.map((p) => p.ms.fetch))} / ${spread(parts.map((p) => p.fetchUnpacedMs))} | ` +
      `${others.map((name) => spread(parts.map((p) => p.ms[name]))).join(' | ')} | ${spread(paced)} / ${spread(unpaced)} | ` +
      `${spread(cpu)} | ${ratioPaced.toFixed(2)} / ${ratio.toFixed(2)} | ${ratioCpu.toFixed(2)}`,
  );

  // Where the time goes inside each end-to-end round, next to the fetch part's pages.
  console.log(
    '\nround | e2e: first page complete ms | e2e: last message ms | e2e: requestHistory resolved ms | ' +
      'e2e: idle() ms | e2e: longest event-loop stall ms | fetch part: each page ms (a later page includes its ' +
      'pacing wait)',
  );
  console.log('--- | --- | --- | --- | --- | --- | ---');
  const timeline = (label: string, r: EndToEndResult, p: PartsResult) =>
    console.log(
      `${label} | ${r.firstPageMs.toFixed(0)} | ${r.lastMessageMs.toFixed(0)} | ${r.requestMs.toFixed(0)} | ` +
        `${r.ms.toFixed(0)} | ${r.longestStallMs.toFixed(0)} | ${p.fetchPageMs.map((ms) => ms.toFixed(0)).join(', ')}`,
    );
  timeline('cold', cold.e2e, cold.parts);
  for (let i = 0; i < rounds; i++) timeline(String(i + 1), e2e[i]!, parts[i]!);

  const last = parts.at(-1)!;
  const lastE2e = e2e.at(-1)!;
  console.log(
    `\nItems out of each part (last round): ${PART_NAMES.map((name) => `${name} ${last.counts[name]}`).join(', ')}; ` +
      `failures ${last.failures}. Fetch CPU ms (this node + the mailserver): ${last.cpuMs.fetch.toFixed(0)}.`,
  );
  console.log(
    `End-to-end (last round): ${lastE2e.delivered}/${missed} delivered (${lastE2e.distinct} distinct), ` +
      `${lastE2e.envelopes} envelopes in ${lastE2e.pages} pages; ${lastE2e.ackPayloads} MVDS ack payloads sent by ` +
      `Bob meanwhile. Relayed (not history) envelopes Bob took in, per round: ${e2e.map((r) => r.relayed).join(', ')}; ` +
      `payloads he dropped: ${e2e.map((r) => r.dropped).join(', ')}.`,
  );
  console.log(
    `Ratio end-to-end / sum of parts (medians): ${ratio.toFixed(2)}× against the parts with the fetch unpaced ` +
      `(the transfer alone), ${ratioPaced.toFixed(2)}× against the parts with the fetch paced as the node runs it ` +
      `(its wait before the next page is idle time the end-to-end overlaps with decrypting page 1), ` +
      `${ratioCpu.toFixed(2)}× in CPU time. Target ≤ ${TARGET_RATIO}× (on the unpaced sum): ` +
      `${ratio <= TARGET_RATIO ? 'met' : 'NOT met'}. The cold round (the first fetch after launch, before the ` +
      `JIT has compiled the receive path; its parts ran after it, warmed): ` +
      `${(cold.e2e.ms / sums(cold.parts).unpaced).toFixed(2)}× unpaced, ` +
      `${(cold.e2e.cpuMs / sums(cold.parts).cpu).toFixed(2)}× CPU.`,
  );
  console.log(
    'What each figure includes. end-to-end: StatusNode.requestHistory → every message a `message` event and the ' +
      'store queue idle (filters, the DirectChats receive path, topic refresh, store writes, events, MVDS acks going ' +
      'out; not the connection). fetch: MailClient on a bare light node, same mailserver, topics and window (server ' +
      'lookup, transfer, envelope decode and hash; no decryption), paced between pages as the node runs it (by default' +
      ' from the packet rate the server advertises) and unpaced. waku: openEnvelope ' +
      "with Bob's filter keys per topic. secure transport: decrypt + confirm on a copy of Bob's offline store. " +
      'mvds: receive + addPeer. payload: unwrap (signature recovery), ChatMessage decode, validation, chat id, ' +
      'message id. CPU times are the whole process (user + system), so the in-process mailserver counts in the ' +
      'fetch and in the end-to-end.',
  );
}
