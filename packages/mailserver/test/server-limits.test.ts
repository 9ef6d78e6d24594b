import { ManualClock } from '@status-ts/core';
import { generatePrivateKey, randomBytes } from '@status-ts/crypto';
import { linkInMemory, type P2PRequestComplete, WakuNode } from '@status-ts/waku';
import { afterEach, describe, expect, it } from 'vitest';
import {
  buildRequestEnvelope,
  encodeMessagesRequest,
  encodeRawPayload,
  encodeRequestPayload,
  MailServer,
  type MailServerOptions,
  MemoryEnvelopeStore,
  mailserverSymKey,
  splitIntoBatches,
} from '../src/index.js';
import { makeEnvelope, TOPIC_A, TOPIC_B } from './helpers/envelopes.js';

const NOW = 1_750_000_000;
const nodes: WakuNode[] = [];
afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.stop()));
});

async function setup(options: Partial<MailServerOptions> = {}) {
  const clock = new ManualClock(NOW * 1000);
  const server = new WakuNode({ clock });
  const client = new WakuNode({ clock });
  await Promise.all([server.start(), client.start()]);
  nodes.push(server, client);
  const link = await linkInMemory(server, client);
  const store = new MemoryEnvelopeStore();
  const mailserver = new MailServer({ store, ...options });
  mailserver.attach(server);
  const completes: P2PRequestComplete[] = [];
  const batches: number[] = [];
  client.on('p2p:requestComplete', (_p, c) => completes.push(c));
  client.on('p2p:envelopes', (_p, e) => batches.push(e.length));
  const request = async (payload: Uint8Array | ReturnType<typeof buildRequestEnvelope>) => {
    const before = completes.length + Object.values(mailserver.counters.dropped).reduce((a, b) => a + b, 0);
    await client.sendP2PRequest(link.idA, payload);
    for (let i = 0; i < 400; i++) {
      const now = completes.length + Object.values(mailserver.counters.dropped).reduce((a, b) => a + b, 0);
      if (now > before) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    return completes[completes.length - 1];
  };
  return { clock, server, client, mailserver, store, completes, batches, request };
}

const id = () => randomBytes(32);

describe('MailServer limits and bad input', () => {
  it('a malformed request is dropped with a counter and the server keeps serving', async () => {
    const s = await setup();
    await s.mailserver.archive([makeEnvelope(NOW - 10, TOPIC_A)]);
    await s.request(Uint8Array.of(0xc3, 0x01, 0x02, 0x03));
    expect(s.mailserver.counters.dropped.ERR_MAILSERVER_MALFORMED_REQUEST).toBe(1);
    expect(s.completes).toHaveLength(0);
    const ok = await s.request(
      encodeMessagesRequest(id(), { lower: NOW - 100, upper: NOW, topics: [TOPIC_A] }),
    );
    expect(ok?.error).toBeUndefined();
    expect(s.batches).toEqual([1]);
  });

  it('an oversized request is dropped with a counter (maxRequestBytes)', async () => {
    const s = await setup({ maxRequestBytes: 200 });
    const topics = Array.from({ length: 60 }, () => randomBytes(4));
    await s.request(encodeMessagesRequest(id(), { lower: NOW - 100, upper: NOW, topics }));
    expect(s.mailserver.counters.dropped.ERR_MAILSERVER_OVERSIZED_REQUEST).toBe(1);
  });

  it('a request envelope under the wrong key gets an ERROR= completion with its hash', async () => {
    const s = await setup();
    const envelope = buildRequestEnvelope({
      payload: encodeRequestPayload({ lower: NOW - 100, upper: NOW, topics: [TOPIC_A] }),
      signingKey: generatePrivateKey(),
      symKey: randomBytes(32),
      now: NOW,
    });
    const c = await s.request(envelope);
    expect(c?.requestId).toEqual(envelope.hash);
    expect(c?.error).toMatch(/decrypt/);
    expect(s.mailserver.counters.rejected.ERR_MAILSERVER_DECRYPT).toBe(1);
  });

  it('an unsigned request envelope is refused', async () => {
    const s = await setup();
    const { buildEnvelopeData, Envelope } = await import('@status-ts/waku');
    const data = buildEnvelopeData({
      payload: encodeRequestPayload({ lower: NOW - 100, upper: NOW, topics: [TOPIC_A] }),
      symKey: mailserverSymKey(),
    });
    const c = await s.request(Envelope.create({ expiry: NOW + 50, ttl: 50, topic: new Uint8Array(4), data }));
    expect(c?.error).toMatch(/not signed/);
  });

  it('a raw request wider than 24 h, a limit above 1000 and from > to get error completions', async () => {
    const s = await setup();
    const raw = (lower: number) =>
      buildRequestEnvelope({
        payload: encodeRawPayload({ lower, upper: NOW }),
        signingKey: generatePrivateKey(),
        symKey: mailserverSymKey(),
        now: NOW,
      });
    // The span limit holds for the raw shape only by default (status-go): see window-limit-shapes.test.ts.
    const wide = await s.request(raw(NOW - 86_401));
    expect(wide?.error).toMatch(/wider/);
    const big = await s.request(
      encodeMessagesRequest(id(), { lower: NOW - 10, upper: NOW, limit: 1001, topics: [TOPIC_A] }),
    );
    expect(big?.error).toMatch(/limit/);
    const inverted = await s.request(
      encodeMessagesRequest(id(), { lower: NOW, upper: NOW - 1, topics: [TOPIC_A] }),
    );
    expect(inverted?.error).toMatch(/range/);
    const exactly = await s.request(raw(NOW - 86_400));
    expect(exactly?.error).toBeUndefined();
  });

  it('limit 0 means the default page (1000) and upper 0 means now + 60 s', async () => {
    const s = await setup({ defaultPageLimit: 3 });
    await s.mailserver.archive([1, 2, 3, 4].map((d) => makeEnvelope(NOW + d, TOPIC_A)));
    const c = await s.request(encodeMessagesRequest(id(), { lower: NOW - 10, upper: 0, topics: [TOPIC_A] }));
    expect(c?.cursor?.length).toBe(36);
    expect(s.batches.reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('raw payload (c) is served; 8 bytes mean the full bloom', async () => {
    const s = await setup();
    await s.mailserver.archive([makeEnvelope(NOW - 5, TOPIC_A), makeEnvelope(NOW - 5, TOPIC_B)]);
    const envelope = buildRequestEnvelope({
      payload: encodeRawPayload({ lower: NOW - 10, upper: NOW }),
      signingKey: generatePrivateKey(),
      symKey: mailserverSymKey(),
      now: NOW,
    });
    const c = await s.request(envelope);
    expect(c?.error).toBeUndefined();
    expect(s.batches).toEqual([1, 1]); // no Batch flag: one envelope per P2P message
  });

  it('per-peer request rate: a second request inside the interval gets an error', async () => {
    const s = await setup({ peerRequestIntervalMs: 5000 });
    const q = () => encodeMessagesRequest(id(), { lower: NOW - 10, upper: NOW, topics: [TOPIC_A] });
    expect((await s.request(q()))?.error).toBeUndefined();
    expect((await s.request(q()))?.error).toMatch(/rate/);
    s.clock.advance(5000);
    expect((await s.request(q()))?.error).toBeUndefined();
  });

  it('batches stay under maxBatchBytes, and a total response cap cuts the page with a cursor', async () => {
    const s = await setup({ maxBatchBytes: 1000, maxResponseBytes: 2500 });
    await s.mailserver.archive(Array.from({ length: 8 }, (_, i) => makeEnvelope(NOW - 8 + i, TOPIC_A, 400)));
    const c = await s.request(
      encodeMessagesRequest(id(), { lower: NOW - 10, upper: NOW, topics: [TOPIC_A] }),
    );
    const sent = s.batches.reduce((a, b) => a + b, 0);
    expect(sent).toBeLessThan(8);
    expect(Math.max(...s.batches)).toBeLessThanOrEqual(2);
    expect(c?.cursor?.length).toBe(36);
  });

  it('splitIntoBatches puts the envelope reaching the limit in a batch of its own (status-go)', () => {
    const envs = [1, 2, 3].map((d) => makeEnvelope(NOW + d, TOPIC_A));
    expect(
      splitIntoBatches(envs, { maxBatchBytes: 1e6, limitReached: true, batch: true }).map((b) => b.length),
    ).toEqual([2, 1]);
    expect(
      splitIntoBatches(envs, { maxBatchBytes: 1e6, limitReached: false, batch: true }).map((b) => b.length),
    ).toEqual([3]);
  });

  it('the retention cleaner runs on the clock and deletes envelopes older than retentionDays', async () => {
    const s = await setup({ retentionDays: 1, cleanupIntervalMs: 60_000 });
    await s.mailserver.archive([makeEnvelope(NOW - 2 * 86_400, TOPIC_A), makeEnvelope(NOW - 100, TOPIC_A)]);
    s.clock.advance(60_000);
    for (let i = 0; i < 50 && s.mailserver.counters.cleaned === 0; i++)
      await new Promise((r) => setTimeout(r, 5));
    expect(s.mailserver.counters.cleaned).toBe(1);
    expect(await s.store.count()).toBe(1);
  });

  it('archives every envelope the node accepts once (dedup by hash) and counts duplicates', async () => {
    const s = await setup();
    const e = makeEnvelope(NOW, TOPIC_A);
    await s.mailserver.archive([e, e]);
    expect(s.mailserver.counters.archived).toBe(1);
    expect(s.mailserver.counters.duplicates).toBe(1);
  });
});
