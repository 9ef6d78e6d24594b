import { bytesToHex, hexToBytes } from '@status-ts/core';
import { rlpEncode, rlpRaw } from '@status-ts/enr';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  decodeSyncMailRequest,
  decodeSyncResponse,
  encodeSyncMailRequest,
  encodeSyncResponse,
  fullBloom,
  isWakuError,
  linkInMemory,
  MAX_SYNC_LIMIT,
  type SyncMailRequest,
  type SyncResponse,
  WakuCode,
  WakuErrorCode,
  type WakuPeer,
  WhisperCode,
} from '../src/index.js';
import { code } from './helpers/errors.js';
import { advance, KEY, makeEnvelope, Nodes, RawPeer, settle, TOPIC_A } from './helpers/nodes.js';

const BAD = WakuErrorCode.BadPacket;
const CURSOR = new Uint8Array(36).fill(0xcc);

const request = (over: Partial<SyncMailRequest> = {}): SyncMailRequest => ({
  lower: 1_700_000_000,
  upper: 1_700_003_600,
  bloom: fullBloom(),
  limit: 100,
  cursor: new Uint8Array(0),
  ...over,
});

describe('P2P Sync Request (shh/6 code 123) wire format', () => {
  it('encodes as go-ethereum RLP of status-go SyncMailRequest{Lower, Upper, Bloom, Limit, Cursor}', () => {
    // Hand-encoded: list header f8 46 (70 bytes), 0x01, 0x02, b8 40 then 64 bytes of bloom, 0x0a, 0x80 (empty cursor).
    const bloom = new Uint8Array(64).fill(0xff);
    const expected = `f846 01 02 b840${'ff'.repeat(64)} 0a 80`.replaceAll(' ', '');
    const encoded = encodeSyncMailRequest({
      lower: 1,
      upper: 2,
      bloom,
      limit: 10,
      cursor: new Uint8Array(0),
    });
    expect(bytesToHex(encoded)).toBe(expected);
    expect(decodeSyncMailRequest(hexToBytes(expected))).toEqual({
      lower: 1,
      upper: 2,
      bloom,
      limit: 10,
      cursor: new Uint8Array(0),
    });
  });

  it('round-trips any valid request', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 0xffffffff }),
        fc.nat({ max: 0xffffffff }),
        fc.integer({ min: 1, max: MAX_SYNC_LIMIT }),
        fc.boolean(),
        fc.boolean(),
        (a, b, limit, withBloom, withCursor) => {
          const r = request({
            lower: Math.min(a, b),
            upper: Math.max(a, b),
            limit,
            bloom: withBloom ? fullBloom() : new Uint8Array(0),
            cursor: withCursor ? CURSOR : new Uint8Array(0),
          });
          expect(decodeSyncMailRequest(encodeSyncMailRequest(r))).toEqual(r);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('validates as status-go does (limit 1..1000, lower <= upper) plus field sizes, on encode and decode', () => {
    const invalid: Array<[string, Partial<SyncMailRequest>]> = [
      ['limit 0', { limit: 0 }],
      ['limit above 1000', { limit: MAX_SYNC_LIMIT + 1 }],
      ['lower after upper', { lower: 10, upper: 9 }],
      ['bloom of 10 bytes', { bloom: new Uint8Array(10) }],
      ['cursor of 5 bytes', { cursor: new Uint8Array(5) }],
    ];
    for (const [, over] of invalid) {
      const bad = request(over);
      expect(code(() => encodeSyncMailRequest(bad))).toBe(BAD);
      const raw = rlpEncode([bad.lower, bad.upper, bad.bloom, bad.limit, bad.cursor]);
      expect(code(() => decodeSyncMailRequest(raw))).toBe(BAD);
    }
    expect(code(() => encodeSyncMailRequest(request({ lower: -1 })))).toBe(BAD);
    expect(code(() => encodeSyncMailRequest(request({ upper: 2 ** 32 })))).toBe(BAD);
    // The message names the bound that is wrong.
    expect(() => encodeSyncMailRequest(request({ lower: -1 }))).toThrow(
      'sync request lower must be a uint32 Unix time, got -1',
    );
    expect(() => encodeSyncMailRequest(request({ upper: 2 ** 32 }))).toThrow(
      'sync request upper must be a uint32 Unix time, got 4294967296',
    );
    expect(code(() => encodeSyncMailRequest(request({ limit: 1.5 })))).toBe(BAD);
  });

  it('rejects malformed RLP with ERR_WAKU_BAD_PACKET: shape, item count, widths, canonical integers', () => {
    const ok = request();
    const items = [ok.lower, ok.upper, ok.bloom, ok.limit, ok.cursor];
    const cases: Uint8Array[] = [
      new Uint8Array(0),
      rlpEncode(ok.bloom), // a byte string, not a list
      rlpEncode(items.slice(0, 4)), // too few items (go-ethereum: "too few elements")
      rlpEncode([...items, 0]), // too many items
      rlpEncode([2 ** 32, ok.upper, ok.bloom, ok.limit, ok.cursor]), // lower wider than uint32
      rlpEncode([ok.lower, ok.upper, [ok.bloom], ok.limit, ok.cursor]), // bloom as a list
      Uint8Array.of(0xc5, 0x81, 0x05, 0x01, 0x80, 0x80), // non-canonical 0x81 0x05
      Uint8Array.of(...rlpEncode(items), 0x00), // trailing byte
    ];
    for (const bytes of cases) expect(code(() => decodeSyncMailRequest(bytes))).toBe(BAD);
  });
});

describe('P2P Sync Response (shh/6 code 124) wire format', () => {
  it('encodes as go-ethereum RLP of status-go SyncResponse{Envelopes, Cursor, Final, Error}', () => {
    // [[], "", true, "x"]: c4 | c0 | 80 | 01 | 78.
    const encoded = encodeSyncResponse({ envelopes: [], cursor: new Uint8Array(0), final: true, error: 'x' });
    expect(bytesToHex(encoded)).toBe('c4c0800178');
    expect(decodeSyncResponse(encoded)).toEqual({
      envelopes: [],
      cursor: new Uint8Array(0),
      final: true,
      error: 'x',
    });
  });

  it('round-trips envelopes byte for byte, with cursor, final flag and error text', () => {
    const nodes = new Nodes();
    const envelopes = [makeEnvelope(nodes.clock), makeEnvelope(nodes.clock, { dataLength: 300 })];
    for (const response of [
      { envelopes, cursor: CURSOR, final: false, error: '' },
      { envelopes: envelopes.slice(0, 1), cursor: new Uint8Array(0), final: true, error: 'db closed' },
    ] satisfies SyncResponse[]) {
      const decoded = decodeSyncResponse(encodeSyncResponse(response));
      expect(decoded.envelopes.map((e) => bytesToHex(e.raw))).toEqual(
        response.envelopes.map((e) => bytesToHex(e.raw)),
      );
      expect({ ...decoded, envelopes: [] }).toEqual({ ...response, envelopes: [] });
    }
  });

  it('rejects malformed responses with typed errors; a Go error string that is not UTF-8 still decodes', () => {
    const nodes = new Nodes();
    const envelope = makeEnvelope(nodes.clock);
    const cases: Array<[Uint8Array, string]> = [
      [rlpEncode([[], new Uint8Array(0), true]), BAD], // three items
      [rlpEncode([[], new Uint8Array(0), true, 'x', 0]), BAD], // five items
      [rlpEncode([[], new Uint8Array(0), 2, 'x']), BAD], // final must be 0 or 1
      [rlpEncode([[], new Uint8Array(5), true, 'x']), BAD], // cursor size
      [rlpEncode([new Uint8Array(3), new Uint8Array(0), true, 'x']), BAD], // envelopes not a list
      [rlpEncode([[[1, 2]], new Uint8Array(0), true, 'x']), WakuErrorCode.BadEnvelope],
      [rlpEncode([[], new Uint8Array(0), true, ['x']]), BAD], // error as a list
      [Uint8Array.of(0xc1), BAD], // truncated
    ];
    for (const [bytes, expected] of cases) expect(code(() => decodeSyncResponse(bytes))).toBe(expected);
    const lenient = decodeSyncResponse(
      rlpEncode([[rlpRaw(envelope.raw)], new Uint8Array(0), false, Uint8Array.of(0xff)]),
    );
    expect(lenient.error).toBe('\ufffd');
    expect(lenient.envelopes).toHaveLength(1);
  });
});

describe('sync decoders on random and mutated input', () => {
  it('raise only typed errors', () => {
    const nodes = new Nodes();
    const valid = [
      encodeSyncMailRequest(request({ cursor: CURSOR })),
      encodeSyncResponse({ envelopes: [makeEnvelope(nodes.clock)], cursor: CURSOR, final: true, error: 'e' }),
    ];
    const onlyTyped = (bytes: Uint8Array) => {
      for (const decode of [decodeSyncMailRequest, decodeSyncResponse]) {
        try {
          decode(bytes);
        } catch (err) {
          if (!isWakuError(err)) throw err;
        }
      }
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), onlyTyped), { numRuns: 1000 });
    fc.assert(
      fc.property(
        fc.constantFrom(...valid),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        (base, edits) => {
          const bytes = base.slice();
          for (const [at, value] of edits) bytes[at % bytes.length] = value;
          onlyTyped(bytes);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('WakuNode and shh/6 sync packets', () => {
  const nodes = new Nodes();
  afterEach(() => nodes.stop());

  const shhPeer = async () => {
    const node = await nodes.node({ protocols: ['shh'] });
    const raw = new RawPeer(node, 'shh');
    await raw.send(WhisperCode.Status, rlpEncode([6]));
    await settle();
    return { node, raw };
  };

  it('hands a valid sync request to the sync:request listener, counts it and keeps the peer', async () => {
    const { node, raw } = await shhPeer();
    const seen: Array<[WakuPeer, SyncMailRequest]> = [];
    node.on('sync:request', (peer, r) => seen.push([peer, r]));
    const sent = request({ cursor: CURSOR });
    await raw.send(WhisperCode.P2PSyncRequest, encodeSyncMailRequest(sent));
    await settle();
    expect(seen).toHaveLength(1);
    expect(bytesToHex(seen[0]![0].id)).toBe(bytesToHex(raw.id));
    expect(seen[0]![1]).toEqual(sent);
    expect(node.counters.syncRequestsReceived).toBe(1);
    expect(raw.closed).toBe(false);
  });

  it('counts and drops a sync request nobody listens for (no mailserver), without disconnecting', async () => {
    const { node, raw } = await shhPeer();
    await raw.send(WhisperCode.P2PSyncRequest, encodeSyncMailRequest(request()));
    await settle();
    expect(node.counters.syncRequestsReceived).toBe(1);
    expect(node.counters.dropped.unhandledSyncRequest).toBe(1);
    expect(raw.closed).toBe(false);
  });

  it('drops malformed or invalid sync requests as bad packets (status-go would disconnect; we never do)', async () => {
    const { node, raw } = await shhPeer();
    const seen: SyncMailRequest[] = [];
    node.on('sync:request', (_peer, r) => seen.push(r));
    await raw.send(WhisperCode.P2PSyncRequest, Uint8Array.of(0xc1));
    await raw.send(WhisperCode.P2PSyncRequest, rlpEncode([1, 2, fullBloom(), 0, new Uint8Array(0)])); // limit 0
    await raw.send(WhisperCode.P2PSyncRequest, rlpEncode([3, 2, fullBloom(), 5, new Uint8Array(0)])); // lower > upper
    await settle();
    expect(seen).toEqual([]);
    expect(node.counters.dropped.badPacket).toBe(3);
    expect(node.counters.syncRequestsReceived).toBe(3);
    expect(raw.closed).toBe(false);
    await raw.send(WhisperCode.P2PSyncRequest, encodeSyncMailRequest(request()));
    await settle();
    expect(seen).toHaveLength(1);
  });

  it('accepts sync responses only from trusted peers; sendSyncRequest sends 123 and trusts the peer', async () => {
    const { node, raw } = await shhPeer();
    const responses: SyncResponse[] = [];
    node.on('sync:response', (_peer, r) => responses.push(r));
    const filter = node.subscribe({ topics: [TOPIC_A], symKey: KEY, allowP2P: true });
    const envelope = makeEnvelope(nodes.clock, { symKey: KEY, payload: Uint8Array.of(1) });
    const response = { envelopes: [envelope], cursor: CURSOR, final: false, error: '' };
    await raw.send(WhisperCode.P2PSyncResponse, encodeSyncResponse(response));
    await settle();
    expect(responses).toEqual([]);
    expect(node.counters.dropped.untrustedP2P).toBe(1);

    const asked = request({ limit: 7 });
    await node.sendSyncRequest(raw.id, asked);
    await settle();
    expect(raw.of(WhisperCode.P2PSyncRequest).map((m) => decodeSyncMailRequest(m.payload))).toEqual([asked]);
    expect(node.isTrusted(raw.id)).toBe(true);

    await raw.send(WhisperCode.P2PSyncResponse, encodeSyncResponse(response));
    await raw.send(WhisperCode.P2PSyncResponse, Uint8Array.of(0xc1)); // malformed: counted, not fatal
    await settle();
    expect(responses).toHaveLength(1);
    expect(bytesToHex(responses[0]!.envelopes[0]!.raw)).toBe(bytesToHex(envelope.raw));
    expect(responses[0]!.cursor).toEqual(CURSOR);
    expect(node.counters.syncResponsesReceived).toBe(3);
    expect(node.counters.syncEnvelopesReceived).toBe(1);
    expect(node.counters.dropped.badPacket).toBe(1);
    expect(raw.closed).toBe(false);
    // For the mailserver's archive only, as status-go: not pooled, not relayed, not delivered to filters.
    expect(node.counters.envelopesAccepted).toBe(0);
    expect(filter.pending).toBe(0);
  });

  it('sendSyncResponse writes 124; both sends need a shh/6 peer and validate first', async () => {
    const { node, raw } = await shhPeer();
    const response = {
      envelopes: [makeEnvelope(nodes.clock)],
      cursor: new Uint8Array(0),
      final: true,
      error: '',
    };
    await node.sendSyncResponse(raw.id, response);
    await settle();
    const got = raw.of(WhisperCode.P2PSyncResponse).map((m) => decodeSyncResponse(m.payload));
    expect(got).toHaveLength(1);
    expect(got[0]!.final).toBe(true);
    await expect(node.sendSyncRequest(raw.id, request({ limit: 0 }))).rejects.toMatchObject({ code: BAD });
    expect(node.isTrusted(raw.id)).toBe(false);

    const waku = await nodes.node({ protocols: ['waku'] });
    const wakuPeer = new RawPeer(waku, 'waku');
    await wakuPeer.status();
    await expect(waku.sendSyncRequest(wakuPeer.id, request())).rejects.toMatchObject({
      code: WakuErrorCode.UnknownPeer,
    });
    await expect(waku.sendSyncResponse(wakuPeer.id, response)).rejects.toMatchObject({
      code: WakuErrorCode.UnknownPeer,
    });
  });

  it('ignores codes 123/124 on waku/1 (unknown codes there), without disconnecting', async () => {
    const node = await nodes.node({ protocols: ['waku'] });
    const raw = new RawPeer(node, 'waku');
    await raw.status();
    node.on('sync:request', () => {
      throw new Error('not on waku/1');
    });
    await raw.send(123, encodeSyncMailRequest(request()));
    await raw.send(
      124,
      encodeSyncResponse({ envelopes: [], cursor: new Uint8Array(0), final: true, error: '' }),
    );
    await settle();
    expect(node.counters.dropped.unknownCode).toBe(2);
    expect(node.counters.syncRequestsReceived).toBe(0);
    expect(raw.closed).toBe(false);
    expect(raw.of(WakuCode.Status)).toHaveLength(1);
  });

  it('two nodes over shh/6: a mailserver answers a sync request and the requester gets the envelopes', async () => {
    const server = await nodes.node({ protocols: ['shh'] });
    const client = await nodes.node({ protocols: ['shh'] });
    const link = await linkInMemory(server, client, { protocol: 'shh' });
    const archive = [makeEnvelope(nodes.clock), makeEnvelope(nodes.clock, { dataLength: 100 })];
    server.on('sync:request', (peer, r) => {
      void server.sendSyncResponse(peer.id, {
        envelopes: archive.slice(0, r.limit),
        cursor: new Uint8Array(0),
        final: true,
        error: '',
      });
    });
    const received: SyncResponse[] = [];
    client.on('sync:response', (_peer, r) => received.push(r));
    await client.sendSyncRequest(link.idA, request({ limit: 1 }));
    await advance(nodes.clock, 300);
    expect(received).toHaveLength(1);
    expect(received[0]!.final).toBe(true);
    expect(received[0]!.envelopes.map((e) => bytesToHex(e.hash))).toEqual([bytesToHex(archive[0]!.hash)]);
  });
});
