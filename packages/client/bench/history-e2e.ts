/**
 * One end-to-end round: Bob comes back (a new node with his key, his installation id and his secure-transport
 * store as it was when he went offline; message store and MVDS state start empty), connects to the
 * mailserver, waits a second, then is timed from `requestHistory` until all the missed messages were
 * delivered as `message` events and his store queue is idle. The connection itself is not timed.
 */

import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { HistoryScenario } from './history-setup.js';
import { restoreSessions } from './history-setup.js';
import { localNode } from './local-node.js';
import { profiled } from './profile.js';
import { sleep } from './stats.js';

export interface EndToEndResult {
  /** `requestHistory` called → every missed message delivered and `idle()` resolved. */
  readonly ms: number;
  /** CPU time of the process over the same window (Bob's and the mailserver's work, nothing else runs). */
  readonly cpuMs: number;
  /** `requestHistory` called → it resolved (the mail client saw the last page complete). */
  readonly requestMs: number;
  /** `requestHistory` called → the first page complete (its envelopes were handed to the filters). */
  readonly firstPageMs: number;
  /** `requestHistory` called → the last missed message delivered as an event. */
  readonly lastMessageMs: number;
  /** The longest the event loop was held during the window (no socket read, no timer, meanwhile). */
  readonly longestStallMs: number;
  readonly delivered: number;
  /** Distinct messages among those delivered (each must come once). */
  readonly distinct: number;
  readonly envelopes: number;
  readonly pages: number;
  readonly dropped: number;
  /** Envelopes relayed to Bob (not from history) since he started. */
  readonly relayed: number;
  /** MVDS payloads (acks) Bob sent while measured: each one is a secure-transport encrypt and a Waku post. */
  readonly ackPayloads: number;
}

/** `profile`: the name of the window's CPU profile when BENCH_PROFILE is set (the window only, not the start). */
export async function endToEndRound(
  s: HistoryScenario,
  profile: string,
  timeoutMs = 120_000,
): Promise<EndToEndResult> {
  const back = localNode({
    identity: { privateKey: s.bob.privateKey },
    installationId: s.installationId,
    sessionStore: await restoreSessions(s.sessions),
    staticPeers: [s.relayer.enode!],
  });
  await back.start();
  await back.waitForPeers();
  // Let the start-up settle (filters, interest update, first epochs), as the parts get a pause too.
  await sleep(1000);
  let dropped = 0;
  back.on('dropped', () => dropped++);
  const seen: number[] = [];
  let lastMessageAt = 0;
  let firstPageAt = 0;
  back.on('history:page', () => {
    firstPageAt ||= performance.now();
  });
  // Resolved from the listener (no polling timer running during the measured window).
  const allDelivered = new Promise<void>((resolve) => {
    back.on('message', (m) => {
      if (m.outgoing || !m.text.startsWith(s.prefix)) return;
      seen.push(Number.parseInt(m.text.slice(s.prefix.length), 10));
      lastMessageAt = performance.now();
      if (seen.length === s.missed) resolve();
    });
  });
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
  const acksBefore = back.mvds.stats.payloadsSent;

  const stalls = monitorEventLoopDelay({ resolution: 5 });
  stalls.enable();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let requestMs = 0;
  const result = await profiled(profile, async () => {
    const summary = await back.requestHistory({
      mailserver: s.mailserverId,
      topics: [...s.topics],
      from: s.from,
      to: s.to,
    });
    requestMs = performance.now() - t0;
    await Promise.race([allDelivered, timeout]);
    await back.idle();
    return summary;
  });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  stalls.disable();

  const ackPayloads = back.mvds.stats.payloadsSent - acksBefore;
  const relayed = back.waku.counters.envelopesAccepted; // since Bob started, before the window too
  await back.stop();
  return {
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    requestMs,
    firstPageMs: firstPageAt - t0,
    lastMessageMs: lastMessageAt - t0,
    longestStallMs: stalls.max / 1e6,
    delivered: seen.length,
    distinct: new Set(seen).size,
    envelopes: result.envelopes,
    pages: result.pages,
    dropped,
    relayed,
    ackPayloads,
  };
}
