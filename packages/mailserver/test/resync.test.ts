import { ManualClock } from '@status-ts/core';
import { linkInMemory, type MemoryLink, WakuNode } from '@status-ts/waku';
import { afterEach, describe, expect, it } from 'vitest';
import {
  HistorySyncState,
  MailClient,
  MailServer,
  MemoryEnvelopeStore,
  RESYNC_OVERLAP_SECONDS,
  type ResyncEvent,
  type ServedRequest,
} from '../src/index.js';
import { makeEnvelope, TOPIC_A, TOPIC_B, TOPIC_C } from './helpers/envelopes.js';
import { waitFor } from './helpers/network.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function startNode(): Promise<WakuNode> {
  const n = new WakuNode();
  await n.start();
  cleanups.push(() => n.stop());
  return n;
}

async function mailserverNode() {
  const node = await startNode();
  const mailserver = new MailServer({ store: new MemoryEnvelopeStore() });
  mailserver.attach(node);
  cleanups.push(() => mailserver.stop());
  const served: ServedRequest[] = [];
  mailserver.on('served', (s) => served.push(s));
  return { node, mailserver, served };
}

const now = () => Math.floor(Date.now() / 1000);

describe('HistorySyncState', () => {
  it('moves a topic forward only over contiguous ranges, and round-trips through JSON', () => {
    const state = new HistorySyncState();
    expect(state.earliest([TOPIC_A])).toBeUndefined();
    state.record([TOPIC_A, TOPIC_B], 100, 200);
    state.record([TOPIC_A], 150, 300); // overlaps: moves on
    state.record([TOPIC_B], 250, 400); // past a gap (201..249): stays at 200
    state.record([TOPIC_A], 0, 250); // behind: never moves back
    expect([state.fetchedUntil(TOPIC_A), state.fetchedUntil(TOPIC_B)]).toEqual([300, 200]);
    expect(state.earliest([TOPIC_A, TOPIC_B])).toBe(200);
    expect(state.earliest([TOPIC_A, TOPIC_C])).toBeUndefined();
    const restored = new HistorySyncState({
      ...state.toJSON(),
      nottopic: 5,
      '0x57687980': -1,
      '57687a8b': 1.5,
    });
    expect(restored.toJSON()).toEqual(state.toJSON());
  });
});

describe('MailClient gap fetch after (re)connection (MAIL-12)', () => {
  it('fetches the watched topics when a mailserver connects, and after a reconnect only the gap since the last bound', async () => {
    const ms = await mailserverNode();
    const t0 = now();
    await ms.mailserver.archive([makeEnvelope(t0 - 7200, TOPIC_A), makeEnvelope(t0 - 3600, TOPIC_A)]);
    const bob = await startNode();
    const mailserverId = new Uint8Array(64).fill(7);
    const delivered: string[] = [];
    bob.on('p2p:envelopes', (_p, envs) => delivered.push(...envs.map((e) => e.hashHex)));
    const client = new MailClient(bob, { mailservers: [mailserverId], watchTopics: [TOPIC_A] });
    cleanups.push(() => client.close());
    const resyncs: ResyncEvent[] = [];
    client.on('resync', (e) => resyncs.push(e));

    let link: MemoryLink = await linkInMemory(bob, ms.node, { idB: mailserverId });
    await waitFor(() => resyncs.length === 1, 10_000, 'first gap fetch');
    expect(resyncs[0]).toMatchObject({ trigger: 'connected', summary: { envelopes: 2 } });
    expect(resyncs[0]!.to - resyncs[0]!.from).toBe(86_400); // never fetched: the last 24 h
    const firstBound = resyncs[0]!.to;
    expect(client.syncState()).toEqual({ '11223344': firstBound });

    // Offline: the mailserver archives what Bob misses, sent just before his last bound but arriving
    // late (the overlap covers them).
    link.close();
    await waitFor(() => bob.getPeer(mailserverId) === undefined, 5_000, 'disconnect');
    const missed = [makeEnvelope(firstBound - 10, TOPIC_A), makeEnvelope(firstBound - 5, TOPIC_A)];
    await ms.mailserver.archive([...missed, makeEnvelope(firstBound - 5, TOPIC_B)]);

    link = await linkInMemory(bob, ms.node, { idB: mailserverId });
    cleanups.push(() => link.close());
    await waitFor(() => resyncs.length === 2, 10_000, 'gap fetch after the reconnect');
    expect(resyncs[1]!.from).toBe(firstBound - RESYNC_OVERLAP_SECONDS);
    expect(resyncs[1]!.summary.envelopes).toBe(2); // the two missed on TOPIC_A, nothing older
    expect(delivered.slice(2)).toEqual(missed.map((e) => e.hashHex));
    expect(client.syncState()['11223344']).toBe(resyncs[1]!.to);
    expect(ms.served.map((s) => s.envelopes)).toEqual([2, 2]);
  });

  it('starts from a persisted bound, and a mailserver given later by a peer pool is used at once if connected', async () => {
    const ms = await mailserverNode();
    const t0 = now();
    await ms.mailserver.archive([makeEnvelope(t0 - 5000, TOPIC_A), makeEnvelope(t0 - 100, TOPIC_A)]);
    const bob = await startNode();
    const link = await linkInMemory(bob, ms.node);
    cleanups.push(() => link.close());
    const client = new MailClient(bob, { syncState: { '0x11223344': t0 - 1000 }, watchTopics: [TOPIC_A] });
    cleanups.push(() => client.close());
    const resynced = new Promise<ResyncEvent>((resolve) => client.once('resync', resolve));
    client.setMailservers([link.idB]);
    expect(client.mailservers).toEqual([Buffer.from(link.idB).toString('hex')]);
    const event = await resynced;
    expect(event.from).toBe(t0 - 1000 - RESYNC_OVERLAP_SECONDS);
    expect(event.summary.envelopes).toBe(1); // only the one after the persisted bound
    // Manual resync of other topics, to the same server list.
    const manual = await client.resync([TOPIC_B]);
    expect(manual).toMatchObject({ trigger: 'manual', summary: { envelopes: 0 } });
  });

  it('a failed gap fetch reports resyncError and leaves the bound where it was', async () => {
    const bob = await startNode();
    const silent = await startNode(); // a peer that has no mailserver role
    const link = await linkInMemory(bob, silent);
    cleanups.push(() => link.close());
    const bound = now() - 500;
    const client = new MailClient(bob, {
      watchTopics: [TOPIC_A],
      syncState: { '11223344': bound },
      timeoutMs: 100,
      retries: 0,
    });
    cleanups.push(() => client.close());
    const failed = new Promise((resolve) => client.once('resyncError', resolve));
    client.setMailservers([link.idB]);
    expect(await failed).toMatchObject({ code: 'ERR_MAILSERVER_ALL_FAILED' });
    expect(client.syncState()['11223344']).toBe(bound);
  });

  it('paces requests to one mailserver under its advertised packet rate (status-go 5/s: 250 ms)', async () => {
    const ms = await mailserverNode();
    const t0 = now();
    await ms.mailserver.archive([0, 1, 2].map((i) => makeEnvelope(t0 - 100 + i, TOPIC_A)));
    const bob = await startNode();
    const link = await linkInMemory(bob, ms.node);
    cleanups.push(() => link.close());
    const clock = new ManualClock(Date.now());
    const client = new MailClient(bob, { clock, pageLimit: 1 });
    cleanups.push(() => client.close());
    const done = client.requestHistory({ mailservers: [link.idB], topics: [TOPIC_A], to: t0 });
    await waitFor(() => ms.served.length === 1, 5_000, 'first page');
    await new Promise((r) => setTimeout(r, 100));
    expect(ms.served).toHaveLength(1); // the cursor request waits for the clock
    clock.advance(249);
    await new Promise((r) => setTimeout(r, 100));
    expect(ms.served).toHaveLength(1);
    for (let page = 2; page <= 4; page++) {
      clock.advance(250);
      await waitFor(() => ms.served.length === page, 5_000, `page ${page}`);
    }
    expect((await done).pages).toBe(4);
  });
});
