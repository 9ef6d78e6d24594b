import { afterEach, describe, expect, it } from 'vitest';
import {
  bloomOfTopics,
  DEFAULT_FILTER_DEDUP_SIZE,
  encodePayload,
  Filter,
  MAX_MESSAGE_SIZE_CAP,
  MAX_PAYLOAD_LENGTH,
  type ReceivedMessage,
  WakuNode,
} from '../src/index.js';
import { code } from './helpers/errors.js';
import { KEY, Nodes, settle, TOPIC_A, TOPIC_B } from './helpers/nodes.js';

const nodes = new Nodes();
afterEach(() => nodes.stop());

describe('limits and options', () => {
  it('validates node options (envelope size cap 10 MiB, protocols, PoW, interest, integers)', () => {
    expect(code(() => new WakuNode({ maxMessageSize: MAX_MESSAGE_SIZE_CAP + 1 }))).toBe(
      'ERR_WAKU_INVALID_OPTIONS',
    );
    expect(new WakuNode({ maxMessageSize: MAX_MESSAGE_SIZE_CAP }).options.maxMessageSize).toBe(
      MAX_MESSAGE_SIZE_CAP,
    );
    expect(code(() => new WakuNode({ protocols: [] }))).toBe('ERR_WAKU_INVALID_OPTIONS');
    expect(code(() => new WakuNode({ protocols: ['bzz' as never] }))).toBe('ERR_WAKU_INVALID_OPTIONS');
    expect(code(() => new WakuNode({ minPow: -1 }))).toBe('ERR_WAKU_INVALID_OPTIONS');
    expect(code(() => new WakuNode({ interest: 'some' as never }))).toBe('ERR_WAKU_INVALID_OPTIONS');
    expect(code(() => new WakuNode({ maxPacketSize: 0 }))).toBe('ERR_WAKU_INVALID_OPTIONS');
    expect(code(() => new WakuNode({ ttl: 1.5 }))).toBe('ERR_WAKU_INVALID_OPTIONS');
    expect(code(() => new WakuNode({ syncAllowance: -1 }))).toBe('ERR_WAKU_INVALID_OPTIONS');
    expect(code(() => new WakuNode({ interestTopics: [new Uint8Array(2)] }))).toBe('ERR_WAKU_BAD_TOPIC');
    expect(code(() => new WakuNode().setMinPow(Number.NaN))).toBe('ERR_WAKU_BAD_STATUS');
    expect(code(() => new WakuNode().setInterestMode('x' as never))).toBe('ERR_WAKU_INVALID_OPTIONS');
    expect(new WakuNode({ lightNode: true }).interestMode).toBe('topics');
  });

  it(`refuses payloads of ${MAX_PAYLOAD_LENGTH + 1} bytes (a 3-byte size field at most)`, () => {
    expect(
      code(() =>
        encodePayload({ payload: new Uint8Array(MAX_PAYLOAD_LENGTH + 1), padding: new Uint8Array(0) }),
      ),
    ).toBe('ERR_WAKU_TOO_LARGE');
  });

  it(`forgets delivered hashes beyond ${DEFAULT_FILTER_DEDUP_SIZE} per filter`, () => {
    const f = new Filter({ topics: [TOPIC_A], symKey: KEY, queueLimit: 1 });
    const m = (h: string) => ({ hashHex: h }) as ReceivedMessage;
    for (let i = 0; i <= DEFAULT_FILTER_DEDUP_SIZE; i++) f.deliver(m(`h${i}`));
    expect(f.deliver(m(`h${DEFAULT_FILTER_DEDUP_SIZE}`))).toBe(false);
    expect(f.deliver(m('h0'))).toBe(true);
  });

  it('advertises a bloom instead of a topic list longer than maxTopicInterest', async () => {
    const node = await nodes.node({ interest: 'topics', maxTopicInterest: 1 });
    node.subscribe({ topics: [TOPIC_A], symKey: KEY });
    await settle();
    expect(node.interest.kind).toBe('topics');
    node.subscribe({ topics: [TOPIC_B], symKey: KEY });
    await settle();
    expect(node.interest).toEqual({ kind: 'bloom', bloom: bloomOfTopics([TOPIC_A, TOPIC_B]) });
  });

  it('posts with the node TTL and a PoW target raised to its own requirement', async () => {
    const node = await nodes.node({ ttl: 30, minPow: 0.01 });
    const { envelope } = await node.post({ topic: TOPIC_A, symKey: KEY, payload: new Uint8Array(3) });
    expect(envelope.ttl).toBe(30);
    expect(envelope.pow()).toBeGreaterThanOrEqual(0.01);
    await expect(
      node.post({ topic: TOPIC_A, symKey: KEY, payload: new Uint8Array(1), ttl: 0 }),
    ).rejects.toMatchObject({
      code: 'ERR_WAKU_INVALID_OPTIONS',
    });
  });
});
