import { ManualClock } from '@status-ts/core';
import { afterEach, describe, expect, it } from 'vitest';
import { PeerPool, type PeerPoolOptions } from '../src/index.js';
import { advance, FakeDialer, FakeSource, flush, makeEnr, T0 } from './helpers.js';

const pools: PeerPool[] = [];
afterEach(async () => {
  for (const p of pools.splice(0)) await p.stop();
});

function setup(options: Partial<PeerPoolOptions> & { sources: FakeSource[] }) {
  const clock = new ManualClock(T0);
  const dialer = new FakeDialer(clock);
  const pool = new PeerPool({ dialer, clock, topics: { whisper: { min: 2, max: 3 } }, ...options });
  pools.push(pool);
  const modes: Array<{ at: number; mode: string }> = [];
  pool.on('topic:mode', ({ mode }) => modes.push({ at: clock.now() - T0, mode }));
  return { clock, dialer, pool, modes };
}

describe('fast and slow search', () => {
  it('searches every 3 s below min, at most 30 s, then every 30 s', async () => {
    const records = Array.from({ length: 4 }, () => makeEnr());
    const source = FakeSource.of('fake', records);
    // max 10: every round drains the whole find, so each round is one new find.
    const { clock, dialer, pool, modes } = setup({
      sources: [source],
      topics: { whisper: { min: 2, max: 10 } },
    });
    dialer.decide = () => 'fail';
    await pool.start();
    await flush();
    expect(source.finds).toBe(1);
    expect(pool.topicStatus('whisper')?.mode).toBe('fast');
    await advance(clock, 3_000);
    expect(source.finds).toBe(2);
    await advance(clock, 26_999 - 3_000);
    expect(source.finds).toBe(9); // t = 0, 3, ..., 24
    await advance(clock, 3_001); // t = 30 s: the fast-mode cap
    expect(modes).toEqual([{ at: 30_000, mode: 'slow' }]);
    const atCap = source.finds;
    await advance(clock, 29_000);
    expect(source.finds).toBe(atCap);
    await advance(clock, 1_000); // t = 60 s
    expect(source.finds).toBe(atCap + 1);
    await advance(clock, 30_000);
    expect(source.finds).toBe(atCap + 2);
  });

  it('switches to slow as soon as min peers connected, and fills up to max on the slow period', async () => {
    const records = Array.from({ length: 5 }, () => makeEnr());
    let next = 0;
    // One new record per find: the pool reaches min after two fast rounds.
    const source = new FakeSource('fake', (_t, i) => (i === 0 ? records[next++] : undefined));
    const { clock, pool, modes } = setup({ sources: [source] });
    const added: number[] = [];
    pool.on('peer:added', () => added.push(clock.now() - T0));
    await pool.start();
    await flush();
    expect(added).toEqual([0]);
    await advance(clock, 3_000);
    expect(added).toEqual([0, 3_000]);
    expect(modes).toEqual([{ at: 3_000, mode: 'slow' }]);
    await advance(clock, 29_000);
    expect(added).toHaveLength(2);
    await advance(clock, 1_000); // 30 s after the round at 3 s
    expect(added).toEqual([0, 3_000, 33_000]);
    expect(pool.topicStatus('whisper')).toMatchObject({ connected: 3, mode: 'slow' });
    expect(pool.summary().topics.whisper?.timeToMinMs).toBe(3_000);
  });
});

describe('suspend and resume', () => {
  it('closes the finds when full, suspends the search 10 s after max, and resumes in fast mode below min', async () => {
    const records = Array.from({ length: 6 }, () => makeEnr());
    const source = FakeSource.endless('endless', records);
    const { clock, dialer, pool } = setup({ sources: [source], topics: { whisper: { min: 2, max: 2 } } });
    const events: string[] = [];
    pool.on('discovery:started', () => events.push(`started@${clock.now() - T0}`));
    pool.on('discovery:stopped', ({ reason }) => events.push(`stopped:${reason}@${clock.now() - T0}`));
    pool.on('search:suspended', ({ topic }) => events.push(`suspended:${topic}`));
    pool.on('search:resumed', ({ topic }) => events.push(`resumed:${topic}`));
    let summary: unknown;
    pool.on('discovery:summary', (s) => {
      summary = s;
    });
    await pool.start();
    await flush();
    expect(dialer.connected.size).toBe(2);
    // Full: the source's find is aborted at once (no walk keeps running), the topic still counts as searching.
    expect(source.aborts).toBe(1);
    expect(source.active).toBe(0);
    await advance(clock, 9_750);
    expect(pool.discovering).toBe(true);
    expect(source.finds).toBe(1); // the slow rounds in between had nothing to ask for
    await advance(clock, 250);
    expect(pool.discovering).toBe(false);
    expect(events).toEqual(['started@0', 'resumed:whisper', 'suspended:whisper', 'stopped:limits@10000']);
    expect(summary).toMatchObject({ reason: 'limits', topics: { whisper: { connected: 2, added: 2 } } });
    expect((summary as { sources: Record<string, Record<string, number>> }).sources.endless?.whisper).toBe(2);

    // One peer goes: below min, the topic searches again at once, in fast mode.
    const [first] = dialer.connected.values();
    first!.drop();
    await flush();
    expect(events.slice(4)).toEqual([`started@10000`, 'resumed:whisper']);
    expect(source.finds).toBe(2);
    expect(pool.topicStatus('whisper')).toMatchObject({ connected: 2, searching: true });
  });

  it('stops all discovery after the global timeout even below min', async () => {
    const source = new FakeSource('silent', () => new Promise<undefined>(() => {}));
    const { clock, pool } = setup({ sources: [source] });
    const stopped: string[] = [];
    pool.on('discovery:stopped', ({ reason }) => stopped.push(reason));
    await pool.start();
    await advance(clock, 179_000, 1_000);
    expect(stopped).toEqual([]);
    await advance(clock, 1_000);
    expect(stopped).toEqual(['timeout']);
    expect(source.aborts).toBe(1);
    expect(pool.discovering).toBe(false);
  });

  it('retries a failing source after 2 s', async () => {
    let calls = 0;
    const good = makeEnr();
    const source = new FakeSource('flaky', (_t, i) => {
      if (i > 0) return undefined;
      calls++;
      if (calls === 1) throw new Error('not ready');
      return good;
    });
    const { clock, pool, dialer } = setup({ sources: [source], timing: { fastPeriodMs: 60_000 } });
    await pool.start();
    await flush();
    expect(dialer.dials).toHaveLength(0);
    await advance(clock, 1_750);
    expect(dialer.dials).toHaveLength(0);
    await advance(clock, 250);
    expect(dialer.dials).toHaveLength(1);
  });

  it('releases every timer on stop', async () => {
    const { clock, pool } = setup({ sources: [FakeSource.endless('e', [makeEnr()])] });
    await pool.start();
    await flush();
    await pool.stop();
    expect(clock.pendingTimers).toBe(0);
  });
});
