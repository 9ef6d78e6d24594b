import { ManualClock } from '@status-ts/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PeerPool } from '../src/index.js';
import { type DialOutcome, FakeDialer, FakeSource, flush, makeEnr, T0 } from './helpers.js';

// Records are expensive to sign: make a pool of them once.
const RECORDS = Array.from({ length: 24 }, (_, i) =>
  makeEnr({ roles: i % 3 === 0 ? ['whisper', 'whispermail'] : ['whisper'] }),
);
const OUTCOMES: DialOutcome[] = ['ok', 'ok', 'ok', 'fail', 'no-caps'];

const sourceArb = fc.record({
  picks: fc.array(fc.nat({ max: RECORDS.length - 1 }), { maxLength: 30 }),
  endless: fc.boolean(),
  delayMs: fc.constantFrom(0, 0, 500, 4_000),
});
const stepArb = fc.oneof(
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 40_000 }) }),
  fc.record({ kind: fc.constant('drop' as const), index: fc.nat() }),
  fc.record({
    kind: fc.constant('limits' as const),
    min: fc.integer({ min: 0, max: 3 }),
    extra: fc.integer({ min: 0, max: 3 }),
  }),
);

describe('limits (property)', () => {
  it('never has more than max peers connected or dialing per topic, whatever sources, dials and drops do', async () => {
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
            const picks = spec.picks.map((i) => RECORDS[i]!);
            return new FakeSource(`s${si}`, (_topic, i) => {
              const record = spec.endless ? picks[i % Math.max(1, picks.length)] : picks[i];
              if (!record || spec.delayMs === 0) return record;
              return new Promise((resolve) => clock.setTimeout(() => resolve(record), spec.delayMs));
            });
          });
          const limits = {
            whisper: { min: wMin, max: Math.max(1, wMin + wExtra) },
            whispermail: { min: 1, max: 1 },
          };
          const pool = new PeerPool({ dialer, clock, sources, topics: limits });
          let violation: string | undefined;
          const check = () => {
            for (const topic of ['whisper', 'whispermail']) {
              const status = pool.topicStatus(topic)!;
              if (status.connected + status.dialing > status.limits.max)
                violation ??= `${topic}: ${status.connected}+${status.dialing} > ${status.limits.max}`;
            }
          };
          // After the async work settled, the pool's view matches the connections that exist.
          const settled = () => {
            check();
            if (pool.peers().length !== dialer.connected.size)
              violation ??= `pool has ${pool.peers().length} peers, dialer ${dialer.connected.size}`;
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
              pool.setLimits('whisper', { min: step.min, max: Math.max(1, step.min + step.extra) });
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
  }, 120_000);
});
