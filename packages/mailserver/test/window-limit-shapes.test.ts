import { randomBytes } from '@status-ts/crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  encodeMessagesRequest,
  encodeRawPayload,
  encodeRequestPayload,
  MailServer,
  MailserverErrorCode,
  MemoryEnvelopeStore,
} from '../src/index.js';
import { makeEnvelope, TOPIC_A } from './helpers/envelopes.js';
import { NOW, requestEnvelope, serverSetup } from './helpers/server-setup.js';

const H48 = 48 * 3600;
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

async function setup(options: Parameters<typeof serverSetup>[0] = {}) {
  const s = await serverSetup(options);
  stops.push(s.stop);
  const codes: string[] = [];
  s.mailserver.on('rejected', (r) => codes.push(r.code));
  // One envelope 40 h back, one 1 h back: a 48 h window holds both.
  await s.mailserver.archive([makeEnvelope(NOW - 40 * 3600, TOPIC_A), makeEnvelope(NOW - 3600, TOPIC_A)]);
  return { ...s, codes };
}

const window48h = { lower: NOW - H48, upper: NOW, topics: [TOPIC_A] };
const shapes = {
  messagesRequest: () => encodeMessagesRequest(randomBytes(32), window48h),
  envelopeRlp: () => requestEnvelope(encodeRequestPayload(window48h)),
};

// status-go (WhisperMailServer.decompositeRequest, v0.40-v0.75; still in v0.79.11) checks maxQueryRange
// only on the raw payload; decodeRequest (RLP payload) and Deliver (MessagesRequest) do not.
describe('the 24 h span limit applies to the raw request shape only, as in status-go', () => {
  for (const [shape, build] of Object.entries(shapes)) {
    it(`serves a 48 h ${shape} request: envelopes and a completion without error`, async () => {
      const s = await setup();
      const complete = await s.request(build());
      expect(complete).toBeDefined();
      expect(complete?.error).toBeUndefined();
      expect(s.received).toHaveLength(2);
      expect(s.mailserver.counters.served).toBe(1);
      expect(s.codes).toEqual([]);
    });
  }

  it('refuses a 48 h raw request with ERR_MAILSERVER_WINDOW_TOO_WIDE', async () => {
    const s = await setup();
    const envelope = requestEnvelope(encodeRawPayload(window48h));
    const complete = await s.request(envelope);
    expect(complete?.requestId).toEqual(envelope.hash);
    expect(complete?.error).toMatch(/wider than 86400 s/);
    expect(s.received).toHaveLength(0);
    expect(s.codes).toEqual([MailserverErrorCode.WindowTooWide]);
    expect(s.mailserver.counters.rejected[MailserverErrorCode.WindowTooWide]).toBe(1);
  });

  it("windowLimitAppliesTo: 'all' refuses a 48 h request in every shape", async () => {
    const s = await setup({ windowLimitAppliesTo: 'all' });
    for (const build of Object.values(shapes)) {
      const complete = await s.request(build());
      expect(complete?.error).toMatch(/wider than 86400 s/);
    }
    expect(s.received).toHaveLength(0);
    expect(s.mailserver.counters.rejected[MailserverErrorCode.WindowTooWide]).toBe(2);
  });

  it("maxWindowSeconds sets the span; with 'all' it holds for the RLP shapes too", async () => {
    const raw = await setup({ maxWindowSeconds: 3600 });
    const wide = { lower: NOW - 3601, upper: NOW, topics: [TOPIC_A] };
    expect((await raw.request(requestEnvelope(encodeRawPayload(wide))))?.error).toMatch(/wider than 3600 s/);
    expect((await raw.request(encodeMessagesRequest(randomBytes(32), wide)))?.error).toBeUndefined();
    const all = await setup({ maxWindowSeconds: 3600, windowLimitAppliesTo: 'all' });
    expect((await all.request(encodeMessagesRequest(randomBytes(32), wide)))?.error).toMatch(/3600 s/);
  });

  it('refuses a windowLimitAppliesTo other than raw or all', () => {
    const store = new MemoryEnvelopeStore();
    for (const bad of ['none', 'RAW', '', 1, null]) {
      expect(() => new MailServer({ store, windowLimitAppliesTo: bad as unknown as 'raw' })).toThrowError(
        expect.objectContaining({ code: MailserverErrorCode.InvalidOptions }),
      );
    }
    expect(() => new MailServer({ store, windowLimitAppliesTo: 'all' })).not.toThrow();
  });
});
