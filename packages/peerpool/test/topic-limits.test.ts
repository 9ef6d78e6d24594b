import { ManualClock } from '@status-ts/core';
import { afterEach, describe, expect, it } from 'vitest';
import { PeerPool, type PeerPoolOptions } from '../src/index.js';
import { advance, FakeDialer, FakeSource, flush, idOf, makeEnr, T0 } from './helpers.js';

// Pins the default per-topic limits (PP-01) by behaviour: no `topics` option is passed, so the pool runs on
// DEFAULT_TOPIC_LIMITS. The numbers are written here as literals on purpose.

const pools: PeerPool[] = [];
afterEach(async () => {
  for (const p of pools.splice(0)) await p.stop();
});

function setup(options: Partial<PeerPoolOptions>) {
  const clock = new ManualClock(T0);
  const dialer = new FakeDialer(clock);
  const pool = new PeerPool({ dialer, clock, ...options });
  pools.push(pool);
  const modes: string[] = [];
  pool.on('topic:mode', ({ topic, mode }) => modes.push(`${topic}:${mode}`));
  const suspended: string[] = [];
  pool.on('search:suspended', ({ topic, reason }) => suspended.push(`${topic}:${reason}`));
  const resumed: string[] = [];
  pool.on('search:resumed', ({ topic }) => resumed.push(topic));
  return { clock, dialer, pool, modes, suspended, resumed };
}

/** Dials succeed only for `allowed` ids (others fail and back off); `allowAll()` lifts it. */
function gate(dialer: FakeDialer, allowed: string[]): () => void {
  let open = false;
  dialer.decide = (id) => (open || allowed.includes(id) ? 'ok' : 'fail');
  return () => {
    open = true;
  };
}

describe('whisper {min 2, max 2} (status-go params.WhisperDiscv5Limits)', () => {
  const relayers = () => Array.from({ length: 10 }, () => makeEnr({ roles: ['whisper'] }));

  it('stays in fast mode with 1 whisper peer and goes slow at the 2nd (min 2, status-go)', async () => {
    const records = relayers();
    const { clock, dialer, pool, modes } = setup({
      sources: [FakeSource.of('discv5', { whisper: records })],
    });
    const allowAll = gate(dialer, [idOf(records[0]!)]);
    await pool.start();
    await flush(8);
    expect(pool.topicStatus('whisper')).toMatchObject({ connected: 1, mode: 'fast', searching: true });
    expect(modes.filter((m) => m.startsWith('whisper:'))).toEqual([]);
    allowAll();
    await advance(clock, 10_000);
    expect(pool.topicStatus('whisper')).toMatchObject({ connected: 2, mode: 'slow' });
    expect(modes.filter((m) => m.startsWith('whisper:'))).toEqual(['whisper:slow']);
  });

  it('connects exactly 2 of 10 discovered relayers, stops searching, resumes below 2 (max 2, status-go)', async () => {
    const source = FakeSource.endless('discv5', relayers());
    const { clock, dialer, pool, modes, suspended, resumed } = setup({ sources: [source] });
    await pool.start();
    await advance(clock, 60_000, 1_000);
    expect(pool.topicStatus('whisper')).toMatchObject({ connected: 2, dialing: 0, searching: false });
    expect(pool.peers('whisper')).toHaveLength(2);
    expect(suspended).toContain('whisper:limits');
    const dialsWhenFull = dialer.dials.length;
    const modesWhenFull = modes.length;
    expect(dialsWhenFull).toBe(2);

    // One relayer goes: below min, the topic searches again in fast mode and is back at exactly 2.
    pool.peers('whisper')[0]!.disconnect();
    await flush(8);
    // Resumed at once in fast mode (the fake dialer refills within the same tick, then slow again).
    expect(resumed.filter((t) => t === 'whisper')).toHaveLength(2);
    expect(modes.slice(modesWhenFull).filter((m) => m.startsWith('whisper:'))).toEqual([
      'whisper:fast',
      'whisper:slow',
    ]);
    await advance(clock, 30_000, 1_000);
    expect(pool.topicStatus('whisper')).toMatchObject({ connected: 2, dialing: 0 });
    expect(dialer.dials.length).toBe(dialsWhenFull + 1);
  });
});

describe('whispermail {min 3, max 3} (status-go peers.MailServerDiscoveryLimits)', () => {
  // Trusted mailservers (the default path): listed in `mailservers` and also offered by a source, so a dial
  // that failed is offered again on the next round.
  const mailservers = () => Array.from({ length: 8 }, () => makeEnr({ roles: ['whispermail'] }));

  it('stays in fast mode with 2 mailservers and goes slow at the 3rd (min 3, status-go)', async () => {
    const list = mailservers();
    const { clock, dialer, pool, modes } = setup({
      mailservers: list,
      sources: [FakeSource.of('discv5', { whispermail: list })],
    });
    const allowAll = gate(
      dialer,
      list.slice(0, 2).map((e) => idOf(e)),
    );
    await pool.start();
    await flush(8);
    expect(pool.topicStatus('whispermail')).toMatchObject({ connected: 2, mode: 'fast', searching: true });
    expect(modes.filter((m) => m.startsWith('whispermail'))).toEqual([]);
    allowAll();
    await advance(clock, 10_000);
    expect(pool.topicStatus('whispermail')).toMatchObject({ connected: 3, mode: 'slow' });
    expect(modes.filter((m) => m.startsWith('whispermail'))).toEqual(['whispermail:slow']);
  });

  it('connects exactly 3 of 8 trusted mailservers, stops searching, resumes below 3 (max 3, status-go)', async () => {
    const list = mailservers();
    const { clock, dialer, pool, modes, suspended, resumed } = setup({
      mailservers: list,
      sources: [new FakeSource('discv5', (topic, i) => (topic === 'whispermail' ? list[i % 8] : undefined))],
    });
    await pool.start();
    await advance(clock, 60_000, 1_000);
    expect(pool.topicStatus('whispermail')).toMatchObject({ connected: 3, dialing: 0, searching: false });
    expect(pool.peers('whispermail')).toHaveLength(3);
    expect(suspended).toContain('whispermail:limits');
    expect(dialer.dials.length).toBe(3);

    const modesWhenFull = modes.length;
    const selected = pool.mailserver!.id;
    pool
      .peers('whispermail')
      .find((p) => p.id === selected)!
      .disconnect();
    await flush(8);
    // Resumed at once in fast mode (the fake dialer refills within the same tick, then slow again).
    expect(resumed.filter((t) => t === 'whispermail')).toHaveLength(2);
    expect(modes.slice(modesWhenFull).filter((m) => m.startsWith('whispermail:'))).toEqual([
      'whispermail:fast',
      'whispermail:slow',
    ]);
    await advance(clock, 30_000, 1_000);
    expect(pool.topicStatus('whispermail')).toMatchObject({ connected: 3, dialing: 0 });
    expect(dialer.dials.length).toBe(4);
  });
});
