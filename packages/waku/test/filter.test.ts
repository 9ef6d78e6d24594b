import { getEventListeners } from 'node:events';
import { generatePrivateKey, getPublicKey } from '@status-ts/crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { Filter, type ReceivedMessage } from '../src/index.js';
import { KEY, Nodes, TOPIC_A, TOPIC_B } from './helpers/nodes.js';

const nodes = new Nodes();
afterEach(() => nodes.stop());

function fake(hashHex: string): ReceivedMessage {
  return { hashHex } as ReceivedMessage;
}

describe('Filter', () => {
  it('delivers each envelope once, as events and through iteration', async () => {
    const f = new Filter({ topics: [TOPIC_A], symKey: KEY });
    const events: string[] = [];
    f.on('message', (m) => events.push(m.hashHex));
    expect(f.deliver(fake('a'))).toBe(true);
    expect(f.deliver(fake('a'))).toBe(false);
    f.deliver(fake('b'));
    const got: string[] = [];
    for await (const m of f) {
      got.push(m.hashHex);
      if (got.length === 2) break;
    }
    expect(got).toEqual(['a', 'b']);
    expect(events).toEqual(['a', 'b']);
    expect(f.closed).toBe(false); // leaving the loop keeps the filter
    const waiting = f.next();
    f.deliver(fake('c'));
    expect((await waiting).hashHex).toBe('c');
    const pending = f.next();
    f.close();
    await expect(pending).rejects.toMatchObject({ code: 'ERR_WAKU_NOT_RUNNING' });
    expect(f.deliver(fake('d'))).toBe(false);
  });

  it("next({ signal }) rejects with the signal's reason and gives up its place in line", async () => {
    const f = new Filter({ topics: [TOPIC_A], symKey: KEY });
    const controller = new AbortController();
    const waiting = f.next({ signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toBe(controller.signal.reason);
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    // The message that arrives next is kept for the next reader, not handed to the abandoned wait.
    f.deliver(fake('a'));
    expect(f.pending).toBe(1);
    expect((await f.next()).hashHex).toBe('a');
    // Already aborted: rejects at once, and a queued message stays queued.
    f.deliver(fake('b'));
    await expect(f.next({ signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(f.pending).toBe(1);
    // A wait that gets its message leaves no listener on the signal.
    const later = new AbortController();
    expect((await f.next({ signal: later.signal })).hashHex).toBe('b');
    const served = f.next({ signal: later.signal });
    f.deliver(fake('c'));
    expect((await served).hashHex).toBe('c');
    expect(getEventListeners(later.signal, 'abort')).toHaveLength(0);
  });

  it('keeps at most queueLimit messages for a slow consumer, dropping the oldest', () => {
    const f = new Filter({ topics: [TOPIC_A], symKey: KEY, queueLimit: 2 });
    for (const h of ['1', '2', '3']) f.deliver(fake(h));
    expect(f.pending).toBe(2);
    expect(f.overflowed).toBe(1);
  });

  it('validates its options', () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return (err as { code?: string }).code;
      }
    };
    expect(code(() => new Filter({ topics: [], symKey: KEY }))).toBe('ERR_WAKU_INVALID_OPTIONS');
    expect(code(() => new Filter({ topics: [new Uint8Array(3)], symKey: KEY }))).toBe('ERR_WAKU_BAD_TOPIC');
    expect(code(() => new Filter({ topics: [TOPIC_A] } as never))).toBe('ERR_WAKU_BAD_KEY');
    expect(
      code(() => new Filter({ topics: [TOPIC_A], symKey: KEY, privateKey: generatePrivateKey() } as never)),
    ).toBe('ERR_WAKU_BAD_KEY');
    expect(code(() => new Filter({ topics: [TOPIC_A], privateKey: new Uint8Array(32) }))).toBe(
      'ERR_WAKU_BAD_KEY',
    );
    expect(code(() => new Filter({ topics: [TOPIC_A], symKey: KEY, minPow: -1 }))).toBe(
      'ERR_WAKU_INVALID_OPTIONS',
    );
  });

  it('filters by minimum PoW and by signer on a node', async () => {
    const node = await nodes.node({ minPow: 0 });
    const alice = generatePrivateKey();
    const fromAlice = node.subscribe({
      topics: [TOPIC_A, TOPIC_B],
      symKey: KEY,
      signer: getPublicKey(alice, 'compressed'),
    });
    const strong = node.subscribe({ topics: [TOPIC_A], symKey: KEY, minPow: 1e9 });
    const any = node.subscribe({ topics: [TOPIC_A], symKey: KEY });
    await node.post({ topic: TOPIC_A, symKey: KEY, payload: Uint8Array.of(1), signingKey: alice });
    await node.post({
      topic: TOPIC_A,
      symKey: KEY,
      payload: Uint8Array.of(2),
      signingKey: generatePrivateKey(),
    });
    await node.post({ topic: TOPIC_A, symKey: KEY, payload: Uint8Array.of(3) });
    expect(fromAlice.pending).toBe(1);
    expect(strong.pending).toBe(0);
    expect(any.pending).toBe(3);
    expect(node.filters).toHaveLength(3);
    fromAlice.close();
    expect(node.filters).toHaveLength(2);
    expect(node.counters.messagesDelivered).toBe(4);
  });

  it('counts filter overflows on the node', async () => {
    const node = await nodes.node({ filterQueueLimit: 1 });
    node.subscribe({ topics: [TOPIC_A], symKey: KEY });
    await node.post({ topic: TOPIC_A, symKey: KEY, payload: Uint8Array.of(1) });
    await node.post({ topic: TOPIC_A, symKey: KEY, payload: Uint8Array.of(2) });
    expect(node.counters.dropped.filterOverflow).toBe(1);
  });
});
