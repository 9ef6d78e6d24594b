import { ManualClock } from '@status-ts/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PeerPool } from '../src/index.js';
import { type DialOutcome, FakeDialer, FakeSource, flush, idOf, makeEnr, T0 } from './helpers.js';

// Records are expensive to sign: make a pool of them once.
// Every third record is a mailserver that also registers as a relayer, so one connection may serve both topics.
const RECORDS = Array.from({ length: 24 }, (_, i) =>
  makeEnr({ roles: i % 3 === 0 ? ['whisper', 'whispermail'] : ['whisper'] }),
);
const MAILSERVER_IDS = new Set(RECORDS.filter((_, i) => i % 3 === 0).map(idOf));
const TOPICS = ['whisper', 'whispermail'] as const;
const OUTCOMES: DialOutcome[] = ['ok', 'ok', 'ok', 'fail', 'no-caps'];

const sourceArb = fc.record({
  picks: fc.array(fc.nat({ max: RECORDS.length - 1 }), { maxLength: 30 }),
  // Records for whispermail, or (undefined) the same list as for whisper.
  mailPicks: fc.option(fc.array(fc.nat({ max: RECORDS.length - 1 }), { maxLength: 10 }), { nil: undefined }),
  endless: fc.boolean(),
  delayMs: fc.constantFrom(0, 0, 500, 4_000),
});
const stepArb = fc.oneof(
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 40_000 }) }),
  fc.record({ kind: fc.constant('drop' as const), index: fc.nat() }),
  fc.record({
    kind: fc.constant('limits' as const),
    topic: fc.constantFrom(...TOPICS),
    min: fc.integer({ min: 0, max: 3 }),
    extra: fc.integer({ min: 0, max: 3 }),
  }),
);

describe('limits (property)', () => {
  it('never has more than max peers connected or dialing per topic, whatever sources, dials and drops do, with peers serving several topics', async () => {
    let sharedSeen = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(sourceArb, { minLength: 1, maxLength: 3 }),
        fc.array(fc.constantFrom(...OUTCOMES), { minLength: 1, maxLength: 16 }),
        fc.array(stepArb, { maxLength: 12 }),
        fc.record({ wMin: fc.integer({ min: 0, max: 3 }), wExtra: fc.integer({ min: 0, max: 3 }) }),
        async (sourceSpecs, outcomes, steps, { wMin, wExtra }) => {
          const clock = new ManualClock(T0);
          const dialer = new FakeDialer(clock);
          let n = 0;
          dialer.decide = () => outcomes[n++ % outcomes.length]!;
          const sources = sourceSpecs.map((spec, si) => {
            const whisperPicks = spec.picks.map((i) => RECORDS[i]!);
            const mailPicks = spec.mailPicks?.map((i) => RECORDS[i]!) ?? whisperPicks;
            return new FakeSource(`s${si}`, (topic, i) => {
              const picks = topic === 'whispermail' ? mailPicks : whisperPicks;
              const record = spec.endless ? picks[i % Math.max(1, picks.length)] : picks[i];
              if (!record || spec.delayMs === 0) return record;
              return new Promise((resolve) => clock.setTimeout(() => resolve(record), spec.delayMs));
            });
          });
          const limits = {
            whisper: { min: wMin, max: Math.max(1, wMin + wExtra) },
            whispermail: { min: 1, max: 1 },
          };
          const pool = new PeerPool({
            dialer,
            clock,
            sources,
            topics: limits,
            useDiscoveredMailservers: true,
          });
          let violation: string | undefined;
          const check = () => {
            for (const topic of TOPICS) {
              const status = pool.topicStatus(topic)!;
              if (status.connected + status.dialing > status.limits.max)
                violation ??= `${topic}: ${status.connected}+${status.dialing} > ${status.limits.max}`;
              const ids = pool.peers(topic).map((p) => p.id);
              if (ids.length !== status.connected || new Set(ids).size !== ids.length)
                violation ??= `${topic}: peers() ${ids.length} vs connected ${status.connected}`;
            }
            if (pool.peers('whispermail').some((p) => !MAILSERVER_IDS.has(p.id)))
              violation ??= 'a peer without the mailserver role counts as a mailserver';
          };
          // After the async work settled, the pool's view matches the connections that exist.
          // Every peer a topic counts is a live connection, and one connection is dialed once whatever it serves.
          const settled = () => {
            check();
            if (pool.peers().length !== dialer.connected.size)
              violation ??= `pool has ${pool.peers().length} peers, dialer ${dialer.connected.size}`;
            for (const topic of TOPICS) {
              if (pool.peers(topic).some((p) => !dialer.connected.has(p.id)))
                violation ??= `${topic} counts a peer that is not connected`;
            }
            const mail = new Set(pool.peers('whispermail').map((p) => p.id));
            sharedSeen += pool.peers('whisper').filter((p) => mail.has(p.id)).length;
          };
          pool.on('peer:added', check);
          await pool.start();
          await flush();
          check();
          for (const step of steps) {
            if (step.kind === 'advance') {
              for (let t = 0; t < step.ms; t += 1_000) {
                clock.advance(Math.min(1_000, step.ms - t));
                await flush(2);
                settled();
              }
            } else if (step.kind === 'drop') {
              const peers = [...dialer.connected.values()];
              if (peers.length > 0) peers[step.index % peers.length]!.drop();
            } else {
              pool.setLimits(step.topic, { min: step.min, max: Math.max(1, step.min + step.extra) });
            }
            await flush(2);
            settled();
          }
          await pool.stop();
          expect(violation).toBeUndefined();
        },
      ),
      { numRuns: 300 },
    );
    // The runs did exercise connections counted by both topics.
    expect(sharedSeen).toBeGreaterThan(0);
  }, 120_000);
});
