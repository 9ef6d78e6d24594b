import { ManualClock } from '@status-ts/core';
import { linkInMemory, WakuNode } from '@status-ts/waku';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeRawPayload, MailClient, MailserverError, MailserverErrorCode } from '../src/index.js';
import { makeEnvelope, TOPIC_A } from './helpers/envelopes.js';
import { NOW, requestEnvelope, serverSetup } from './helpers/server-setup.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('24 h request span', () => {
  // status-go mailserver: maxQueryRange = 24 * time.Hour, refused when upper - lower > it (raw payload).
  it('serves a raw request spanning exactly 24 h and refuses 24 h + 1 s (status-go maxQueryRange)', async () => {
    const s = await serverSetup();
    cleanups.push(s.stop);
    await s.mailserver.archive([makeEnvelope(NOW - 86_000, TOPIC_A)]);
    const raw = (span: number) => requestEnvelope(encodeRawPayload({ lower: NOW - span, upper: NOW }));

    const exactly = await s.request(raw(86_400));
    expect(exactly).toBeDefined();
    expect(exactly?.error).toBeUndefined();
    expect(s.received).toHaveLength(1);

    const over = await s.request(raw(86_401));
    expect(over?.error).toMatch(/wider/);
    expect(s.received).toHaveLength(1);
    expect(s.mailserver.counters.rejected[MailserverErrorCode.WindowTooWide]).toBe(1);
  });
});

describe('10 s history request timeout', () => {
  // Status clients give up on a history request after 10 s (status-go services/ext defaultRequestTimeout).
  it('a request to a silent mailserver is pending at 9,999 ms and times out at 10,000 ms (status-go)', async () => {
    const silent = new WakuNode(); // no mailserver role: the request is never answered
    const bob = new WakuNode();
    await Promise.all([silent.start(), bob.start()]);
    cleanups.push(() => Promise.all([silent.stop(), bob.stop()]));
    const link = await linkInMemory(bob, silent);
    const clock = new ManualClock(NOW * 1000);
    const client = new MailClient(bob, { clock, retries: 0, minRequestIntervalMs: 0 });
    cleanups.push(() => client.close());
    const failovers: MailserverError[] = [];
    client.on('failover', (f) => failovers.push(f.error as MailserverError));

    const arrived = new Promise((resolve) => silent.once('p2p:request', resolve));
    let outcome: unknown;
    void client.requestHistory({ mailservers: [link.idB], topics: [TOPIC_A] }).then(
      () => {
        outcome = 'resolved';
      },
      (err: unknown) => {
        outcome = err;
      },
    );
    await arrived;
    const settle = () => new Promise((r) => setTimeout(r, 20));

    clock.advance(9_999);
    await settle();
    expect(outcome).toBeUndefined();
    expect(failovers).toHaveLength(0);

    clock.advance(1);
    // Bounded real-time wait: a longer timeout fails here at once instead of hanging the test.
    for (let i = 0; i < 200 && outcome === undefined; i++) await new Promise((r) => setTimeout(r, 10));
    expect(outcome).toBeInstanceOf(MailserverError);
    expect((outcome as MailserverError).code).toBe(MailserverErrorCode.AllFailed);
    const cause = (outcome as MailserverError).cause as MailserverError;
    expect(cause).toBeInstanceOf(MailserverError);
    expect(cause.code).toBe(MailserverErrorCode.Timeout);
    expect(cause.message).toBe('no answer from the mailserver in 10000 ms');
    expect(failovers.map((e) => e.code)).toEqual([MailserverErrorCode.Timeout]);
  });
});
