import { bytesToHex, hexToBytes, ManualClock } from '@status-ts/core';
import {
  decodeP2PMessages,
  decodeP2PRequest,
  decodeP2PRequestComplete,
  type Envelope,
  encodeP2PMessages,
  encodeP2PRequestComplete,
  linkInMemory,
  type P2PRequestComplete,
  WakuNode,
} from '@status-ts/waku';
import { afterEach, describe, expect, it } from 'vitest';
import { readVectors } from '../../../tools/vectors.js';
import {
  decodeMailRequest,
  encodeMessagesRequest,
  encodeRequestPayload,
  MailClient,
  MailServer,
  MemoryEnvelopeStore,
  mailserverSymKey,
} from '../src/index.js';

// biome-ignore lint/suspicious/noExplicitAny: free-form vector JSON.
type Json = any;
const vectors: Json = readVectors('captured-status-go.json');
const mail = vectors.items.mailserver;
const serves = mail.capture_requests_statusd_serves as Json[];
const hex = (s: string) => hexToBytes(s);
const byCase = (name: string) => serves.find((c) => c.case === name)!;

/** The five envelopes statusd had archived: the MessagesRequest answer holds all of them. */
function archivedEnvelopes(): Envelope[] {
  return decodeP2PMessages(hex(byCase('messages_request_struct').responses[0].payload_rlp));
}

interface Pair {
  server: WakuNode;
  client: WakuNode;
  mailserver: MailServer;
  messages: Uint8Array[];
  completes: P2PRequestComplete[];
  serverId: Uint8Array;
}

const started: WakuNode[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((n) => n.stop()));
});

async function pair(): Promise<Pair> {
  const clock = new ManualClock(1795623463 * 1000);
  const server = new WakuNode({ clock });
  const client = new WakuNode({ clock });
  await Promise.all([server.start(), client.start()]);
  started.push(server, client);
  const link = await linkInMemory(server, client);
  const mailserver = new MailServer({ store: new MemoryEnvelopeStore() });
  mailserver.attach(server);
  await mailserver.archive(archivedEnvelopes());
  const messages: Uint8Array[] = [];
  const completes: P2PRequestComplete[] = [];
  client.on('p2p:envelopes', (_p, envs) => messages.push(encodeP2PMessages(envs)));
  client.on('p2p:requestComplete', (_p, c) => completes.push(c));
  return { server, client, mailserver, messages, completes, serverId: link.idA };
}

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
}

describe('status-go v0.79.11 mailserver exchanges', () => {
  it('the mailserver symmetric key is PBKDF2("status-offline-inbox")', () => {
    expect(bytesToHex(mailserverSymKey())).toBe(vectors.keys.mailserver_symkey.key.slice(2));
  });

  for (const name of [
    'deprecated_request_limit2',
    'deprecated_request_with_cursor',
    'messages_request_struct',
  ]) {
    it(`answers ${name} with the same P2P messages and completion bytes as statusd`, async () => {
      const c = byCase(name);
      const p = await pair();
      const request = decodeP2PRequest(hex(c.request_payload_rlp));
      await p.client.sendP2PRequest(p.serverId, request.envelope ?? request.payload);
      await waitFor(() => p.completes.length === 1);
      const wantMessages = c.responses
        .filter((r: Json) => r.waku_code === 127)
        .map((r: Json) => r.payload_rlp);
      const want141 = c.responses.find((r: Json) => r.waku_code === 125).payload_rlp;
      expect(p.messages.map((m) => `0x${bytesToHex(m)}`)).toEqual(wantMessages);
      expect(`0x${bytesToHex(encodeP2PRequestComplete(p.completes[0]!))}`).toBe(want141);
    });
  }

  it('decodes the request statusd itself builds (shape b, signed by its node key) with every field', () => {
    const s = mail.statusd_requests_capture_peer;
    const decoded = decodeMailRequest(decodeP2PRequest(hex(s.request_payload_rlp)), {
      symKey: mailserverSymKey(),
    });
    const want = s.messages_request_payload_decoded;
    expect(decoded.shape).toBe('envelopeRlp');
    expect(`0x${bytesToHex(decoded.id)}`).toBe(s.rpc_result_request_id);
    expect(`0x${bytesToHex(decoded.signer!)}`).toBe(s.decrypted.recovered_signer_pubkey);
    expect([decoded.lower, decoded.upper, decoded.limit, decoded.batch]).toEqual([
      want.lower,
      want.upper,
      want.limit,
      want.batch,
    ]);
    expect(`0x${bytesToHex(decoded.bloom)}`).toBe(want.bloom);
    expect(decoded.topics.map((t) => `0x${bytesToHex(t)}`)).toEqual(want.topics);
    expect(decoded.cursor.length).toBe(0);
    // Our encoder writes the same payload bytes status-go's client did.
    expect(
      `0x${bytesToHex(encodeRequestPayload({ ...want, bloom: hex(want.bloom), topics: want.topics.map(hex), cursor: new Uint8Array(0) }))}`,
    ).toBe(s.decrypted.payload);
  });

  it('decodes both deprecated requests (payload, id = envelope hash, signer = capture peer)', () => {
    for (const name of ['deprecated_request_limit2', 'deprecated_request_with_cursor']) {
      const c = byCase(name);
      const d = decodeMailRequest(decodeP2PRequest(hex(c.request_payload_rlp)), {
        symKey: mailserverSymKey(),
      });
      expect(`0x${bytesToHex(d.id)}`).toBe(c.request_id);
      expect(`0x${bytesToHex(d.cursor)}`).toBe(c.messages_request_payload_decoded.cursor);
      expect(d.limit).toBe(2);
      expect(`0x${bytesToHex(d.signer!)}`).toBe(c.decrypted.recovered_signer_pubkey);
    }
  });

  it('our client sends the MessagesRequest bytes statusd got and parses its answer', async () => {
    const c = byCase('messages_request_struct');
    const want = c.decoded;
    expect(
      `0x${bytesToHex(encodeMessagesRequest(hex(want.id), { lower: want.from, upper: want.to, limit: want.limit, topics: want.topics.map(hex) }))}`,
    ).toBe(c.request_payload_rlp);
    const p = await pair();
    const seen: Uint8Array[] = [];
    p.server.on('p2p:request', (_peer, r) => seen.push(r.payload));
    const client = new MailClient(p.client, { requestId: () => hex(want.id), pageLimit: want.limit });
    const summary = await client.requestHistory({
      mailservers: [p.serverId],
      topics: want.topics.map(hex),
      from: want.from,
      to: want.to,
    });
    expect(`0x${bytesToHex(seen[0]!)}`).toBe(c.request_payload_rlp);
    expect(summary).toMatchObject({ pages: 1, envelopes: 5, uniqueEnvelopes: 5, windows: 1 });
    client.close();
  });

  it('parses every captured completion (with and without cursor)', () => {
    for (const c of serves) {
      const r = c.responses.find((x: Json) => x.waku_code === 125);
      const parsed = decodeP2PRequestComplete(hex(r.payload_rlp));
      expect(`0x${bytesToHex(parsed.requestId)}`).toBe(c.request_id ?? c.decoded.id);
      if (r.decoded.cursor) expect(`0x${bytesToHex(parsed.cursor!)}`).toBe(r.decoded.cursor);
      else expect(parsed.cursor).toBeUndefined();
    }
  });

  it('a request with topics and an EMPTY bloom (which crashed statusd) is served by topic', async () => {
    const c = byCase('messages_request_struct');
    const p = await pair();
    const payload = encodeMessagesRequest(hex(c.decoded.id), {
      lower: c.decoded.from,
      upper: c.decoded.to,
      limit: 100,
      topics: c.decoded.topics.map(hex),
      bloom: new Uint8Array(0),
    });
    await p.client.sendP2PRequest(p.serverId, payload);
    await waitFor(() => p.completes.length === 1);
    expect(p.completes[0]!.error).toBeUndefined();
    expect(decodeP2PMessages(p.messages[0]!)).toHaveLength(5);
    // With neither bloom nor topics: an error completion, and the server keeps serving.
    const none = encodeMessagesRequest(hex(c.decoded.id), { lower: 1, upper: 2, bloom: new Uint8Array(0) });
    await p.client.sendP2PRequest(p.serverId, none);
    await waitFor(() => p.completes.length === 2);
    expect(p.completes[1]!.error).toMatch(/bloom or topics/);
  });
});
