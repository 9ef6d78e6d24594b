import { ManualClock } from '@status-ts/core';
import { afterEach, describe, expect, it } from 'vitest';
import { PeerPool, PeerPoolErrorCode, type PeerPoolOptions } from '../src/index.js';
import { relayRequirement } from '../src/requirements.js';
import { TopicState } from '../src/topic-state.js';
import { advance, FakeDialer, FakeSource, flush, idOf, makeEnr, T0 } from './helpers.js';

const pools: PeerPool[] = [];
afterEach(async () => {
  for (const p of pools.splice(0)) await p.stop();
});

function setup(options: Partial<PeerPoolOptions> = {}) {
  const clock = new ManualClock(T0);
  const dialer = new FakeDialer(clock);
  const pool = new PeerPool({ dialer, clock, topics: { whisper: { min: 2, max: 2 } }, ...options });
  pools.push(pool);
  return { clock, dialer, pool };
}

describe('static nodes', () => {
  it('are dialed at start, re-dialed with exponential backoff, and count toward the limits', async () => {
    const fixed = makeEnr();
    const others = Array.from({ length: 4 }, () => makeEnr());
    const source = FakeSource.of('fake', others);
    const { clock, dialer, pool } = setup({
      sources: [source],
      staticPeers: [fixed.encodeText()],
      timing: { staticRedialMinMs: 1_000, staticRedialMaxMs: 4_000 },
    });
    const staticId = idOf(fixed);
    dialer.decide = (id, attempt) => (id === staticId && attempt <= 4 ? 'fail' : 'ok');
    await pool.start();
    await advance(clock, 20_000, 100);
    const times = dialer.dials.filter((d) => d.id === staticId).map((d) => d.at - T0);
    // 0, then +1 s, +2 s, +4 s, +4 s (capped).
    expect(times).toEqual([0, 1_000, 3_000, 7_000, 11_000]);
    // The static node took one of the two whisper slots once it connected: one discovered peer left.
    expect(pool.topicStatus('whisper')?.connected).toBe(2);
    expect(pool.peers('whisper').map((p) => p.id)).toContain(staticId);

    // A static node that drops is dialed again after the first backoff step.
    dialer.connected.get(staticId)!.drop();
    await advance(clock, 900, 100);
    expect(dialer.attempts(staticId)).toBe(5);
    await advance(clock, 100, 100);
    expect(dialer.attempts(staticId)).toBe(6);
    expect(dialer.connected.has(staticId)).toBe(true);
  });
});

describe('dialing rules', () => {
  it('backs off failed peers exponentially (capped) and never dials them meanwhile', async () => {
    const bad = makeEnr();
    const source = FakeSource.of('fake', [bad]);
    const { clock, dialer, pool } = setup({
      sources: [source],
      timing: { backoffMinMs: 5_000, backoffMaxMs: 20_000, fastModeTimeoutMs: 1_000_000 },
    });
    dialer.decide = () => 'fail';
    const waits: number[] = [];
    pool.on('peer:failed', (e) => waits.push(e.retryInMs));
    await pool.start();
    await advance(clock, 60_000, 500);
    const times = dialer.dials.map((d) => d.at - T0);
    // Rounds every 3 s find the peer again; it is dialed only once its wait is over.
    for (let i = 1; i < times.length; i++)
      expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(waits[i - 1]!);
    expect(waits.slice(0, 4)).toEqual([5_000, 10_000, 20_000, 20_000]);
  });

  it('skips self, undialable records, records without a shared capability, and peers failing the Hello check', async () => {
    const self = makeEnr();
    const noAddress = makeEnr({ noAddress: true });
    const les = makeEnr({ capabilities: [{ name: 'les', version: 2 }] });
    const liar = makeEnr();
    const good = makeEnr({ capabilities: [{ name: 'shh', version: 6 }] });
    const { dialer, pool } = setup({
      sources: [FakeSource.of('fake', [self, noAddress, les, liar, good])],
      selfId: self.rawPublicKey,
    });
    dialer.decide = (id) => (id === idOf(liar) ? 'no-caps' : 'ok');
    const failed: string[] = [];
    pool.on('peer:failed', (e) => failed.push((e.error as { code?: string }).code ?? ''));
    await pool.start();
    await flush();
    expect(dialer.dials.map((d) => d.id)).toEqual([idOf(liar), idOf(good)]);
    expect(failed).toEqual([PeerPoolErrorCode.MissingCapability]);
    expect(pool.peers().map((p) => p.id)).toEqual([idOf(good)]);
  });

  it('whispermail takes only records advertising the mailserver role (discovered ones opted in)', async () => {
    const relay = makeEnr({ roles: ['whisper'] });
    const mail = makeEnr({ roles: ['whisper', 'whispermail'] });
    const { dialer, pool } = setup({
      topics: { whispermail: { min: 1, max: 2 } },
      useDiscoveredMailservers: true,
      sources: [FakeSource.of('fake', [relay, mail])],
    });
    await pool.start();
    await flush();
    expect(dialer.dials.map((d) => d.id)).toEqual([idOf(mail)]);
  });

  it('forgets a remembered candidate 60 min after it was last seen', async () => {
    for (const [waitMin, redialed] of [
      [59, true],
      [61, false],
    ] as const) {
      const records = [makeEnr(), makeEnr()];
      // Yields the two records on its first find only, so nothing refreshes when they were seen.
      let exhausted = false;
      const source = new FakeSource('once', (_t, i) => (!exhausted && i < 2 ? records[i] : undefined));
      const { clock, dialer, pool } = setup({ sources: [source], topics: { whisper: { min: 1, max: 2 } } });
      await pool.start();
      await flush();
      exhausted = true;
      pool.setLimits('whisper', { min: 1, max: 1 }); // one peer is dismissed and remembered as a candidate
      await flush();
      const dismissed = records.map(idOf).find((id) => !dialer.connected.has(id))!;
      expect(dialer.attempts(dismissed)).toBe(1);
      await advance(clock, waitMin * 60_000, 30_000);
      pool.setLimits('whisper', { min: 1, max: 2 });
      await flush();
      expect(dialer.attempts(dismissed)).toBe(redialed ? 2 : 1);
      await pool.stop();
    }
  });

  it('orders candidates: cache seeds and configured mailservers first, then the most recently seen', () => {
    const topic = new TopicState('whisper', { min: 1, max: 1 }, relayRequirement());
    const c = (id: string, seenAt: number, priority = false) => ({
      id,
      target: `enode://${id}`,
      enr: undefined,
      source: 's',
      seenAt,
      priority,
      trusted: false,
    });
    topic.remember(c('old', 1), 10);
    topic.remember(c('recent', 5), 10);
    topic.remember(c('seed', 0, true), 10);
    expect(topic.best(() => true)?.id).toBe('seed');
    expect(topic.best((x) => !x.priority)?.id).toBe('recent');
    topic.remember(c('old', 9), 10); // seen again
    expect(topic.best((x) => !x.priority)?.id).toBe('old');
    for (let i = 0; i < 20; i++) topic.remember(c(`n${i}`, 100 + i), 10);
    expect(topic.candidates.size).toBe(10);
    expect(topic.candidates.has('seed')).toBe(true); // priority candidates are not evicted
  });

  it('dismisses peers over a lowered max and remembers them', async () => {
    const records = Array.from({ length: 3 }, () => makeEnr());
    const { dialer, pool } = setup({
      sources: [FakeSource.of('fake', records)],
      topics: { whisper: { min: 1, max: 3 } },
    });
    const dropped: string[] = [];
    pool.on('peer:dropped', (e) => dropped.push(e.reason));
    await pool.start();
    await flush();
    expect(dialer.connected.size).toBe(3);
    pool.setLimits('whisper', { min: 1, max: 1 });
    await flush();
    expect(dropped).toEqual(['dismissed', 'dismissed']);
    expect(dialer.connected.size).toBe(1);
    expect(pool.topicStatus('whisper')).toMatchObject({ connected: 1, limits: { min: 1, max: 1 } });
    // Each message names the limit that is wrong.
    expect(() => pool.setLimits('whisper', { min: 2, max: 1 })).toThrow(
      'topic whisper: min (2) is above max (1)',
    );
    expect(() => pool.setLimits('whisper', { min: -1, max: 1 })).toThrow(
      'topic whisper: min must be >= 0, got -1',
    );
    expect(() => pool.setLimits('whisper', { min: 0, max: 0 })).toThrow(
      'topic whisper: max must be >= 1, got 0',
    );
    expect(() => pool.setLimits('whisper', { min: 0.5, max: 2 })).toThrow(
      'topic whisper: min must be an integer, got 0.5',
    );
    expect(() => pool.setLimits('nope', { min: 1, max: 1 })).toThrow(/unknown topic/);
  });

  it('rejects bad options with ERR_PEERPOOL_INVALID_ARGUMENT or ERR_PEERPOOL_BAD_TARGET', () => {
    const clock = new ManualClock(T0);
    const dialer = new FakeDialer(clock);
    const invalid = { code: PeerPoolErrorCode.InvalidArgument };
    expect(() => new PeerPool({ dialer, topics: {} })).toThrow(expect.objectContaining(invalid));
    expect(() => new PeerPool({ dialer, topics: { whisper: { min: 3, max: 2 } } })).toThrow(
      expect.objectContaining(invalid),
    );
    expect(() => new PeerPool({ dialer, topics: { whisper: { min: 0, max: 0 } } })).toThrow(
      expect.objectContaining(invalid),
    );
    expect(() => new PeerPool({ dialer, topics: { whisper: { min: 1.5, max: 2 } } })).toThrow(
      expect.objectContaining(invalid),
    );
    expect(() => new PeerPool({ dialer, staticPeers: [{ target: makeEnr(), topic: 'nope' }] })).toThrow(
      expect.objectContaining(invalid),
    );
    for (const target of ['enode://zz@127.0.0.1:1', 'enr:-not-a-record', 'http://example.com']) {
      expect(() => new PeerPool({ dialer, staticPeers: [target] })).toThrow(
        expect.objectContaining({ code: PeerPoolErrorCode.BadTarget }),
      );
    }
    expect(() => new PeerPool({ dialer, mailservers: ['nonsense'] })).toThrow(
      expect.objectContaining({ code: PeerPoolErrorCode.BadTarget }),
    );
  });
});

describe('fairness', () => {
  it('alternates between an endless source and a finite one', async () => {
    const endless = Array.from({ length: 20 }, () => makeEnr());
    const finite = Array.from({ length: 4 }, () => makeEnr());
    const a = FakeSource.endless('a', endless);
    const b = FakeSource.of('b', finite);
    const { dialer, pool } = setup({ sources: [a, b], topics: { whisper: { min: 8, max: 8 } } });
    const order: string[] = [];
    pool.on('peer:added', (e) => order.push(e.source));
    await pool.start();
    await flush(8);
    expect(dialer.connected.size).toBe(8);
    expect(order.filter((s) => s === 'b')).toHaveLength(4);
    expect(order.slice(0, 8)).toEqual(['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b']);
  });

  it('a source that never answers does not hold back the others', async () => {
    const hanging = new FakeSource('hang', () => new Promise<undefined>(() => {}));
    const records = Array.from({ length: 2 }, () => makeEnr());
    const { dialer, pool } = setup({ sources: [hanging, FakeSource.of('ok', records)] });
    await pool.start();
    await flush();
    expect(dialer.connected.size).toBe(2);
  });
});
