import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareChatOrder,
  isClockBehind,
  MAX_CLOCK_FUTURE_DRIFT_MS,
  nextChatClock,
  observeChatClock,
  PayloadError,
  PayloadErrorCode,
  validateClock,
} from '../src/index.js';

describe('Lamport clocks', () => {
  it('the first message of a chat takes now; later ones max(now, last + 1)', () => {
    expect(nextChatClock(undefined, 1000)).toBe(1000);
    expect(nextChatClock(0, 1000)).toBe(1000);
    expect(nextChatClock(999, 1000)).toBe(1000);
    expect(nextChatClock(1000, 1000)).toBe(1001);
    expect(nextChatClock(5000, 1000)).toBe(5001);
    expect(nextChatClock(undefined, 1000.7)).toBe(1000);
  });

  it('a sequence of sends and receipts is strictly increasing whatever the wall clock does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ now: fc.nat(1e6), received: fc.option(fc.nat(2e6)) }), {
          minLength: 1,
          maxLength: 50,
        }),
        (steps) => {
          let last: number | undefined;
          let previousSent = -1;
          for (const step of steps) {
            if (step.received !== null) last = observeChatClock(last, step.received);
            const clock = nextChatClock(last, step.now);
            expect(clock).toBeGreaterThan(previousSent);
            if (last !== undefined && last > 0) expect(clock).toBeGreaterThan(last);
            previousSent = clock;
            last = clock;
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('observing keeps the highest clock', () => {
    expect(observeChatClock(undefined, 7)).toBe(7);
    expect(observeChatClock(10, 7)).toBe(10);
    expect(observeChatClock(10, 70)).toBe(70);
  });
});

describe('the ±120 s rule against the envelope time', () => {
  it('refuses clock 0 and clocks more than 120 s ahead, with ERR_PAYLOAD_INVALID_FIELD', () => {
    const codeOf = (clock: number) => {
      try {
        validateClock(clock, 1_000_000);
        return undefined;
      } catch (error) {
        expect(error).toBeInstanceOf(PayloadError);
        return (error as PayloadError).code;
      }
    };
    expect(codeOf(0)).toBe(PayloadErrorCode.InvalidField);
    expect(codeOf(1_000_000 + MAX_CLOCK_FUTURE_DRIFT_MS)).toBeUndefined();
    expect(codeOf(1_000_000 + MAX_CLOCK_FUTURE_DRIFT_MS + 1)).toBe(PayloadErrorCode.InvalidField);
    expect(codeOf(1)).toBeUndefined();
  });

  it('flags clocks more than 120 s behind without refusing them', () => {
    expect(isClockBehind(1_000_000 - MAX_CLOCK_FUTURE_DRIFT_MS, 1_000_000)).toBe(false);
    expect(isClockBehind(1_000_000 - MAX_CLOCK_FUTURE_DRIFT_MS - 1, 1_000_000)).toBe(true);
  });
});

describe('chat order', () => {
  it('sorts by clock, then by id, so every device shows the same order', () => {
    const messages = [
      { clock: 2, id: '0x02' },
      { clock: 1, id: '0xff' },
      { clock: 2, id: '0x01' },
      { clock: 1, id: '0x00' },
    ];
    expect(messages.sort(compareChatOrder).map((m) => `${m.clock}:${m.id}`)).toEqual([
      '1:0x00',
      '1:0xff',
      '2:0x01',
      '2:0x02',
    ]);
  });

  it('any permutation sorts to the same order', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.record({
            clock: fc.nat(20),
            id: fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 1, maxLength: 4 }),
          }),
          { selector: (m) => `${m.clock}/${m.id}`, maxLength: 30 },
        ),
        fc.array(fc.nat(), { minLength: 30, maxLength: 30 }),
        (messages, shuffleKeys) => {
          // A random permutation: order by a random key per position.
          const shuffled = messages
            .map((message, i) => ({ message, key: shuffleKeys[i] ?? 0 }))
            .sort((a, b) => a.key - b.key)
            .map(({ message }) => message);
          expect([...shuffled].sort(compareChatOrder)).toEqual([...messages].sort(compareChatOrder));
        },
      ),
      { numRuns: 300 },
    );
  });
});
