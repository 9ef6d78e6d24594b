import { describe, expect, it } from 'vitest';
import { alternatingRounds, timeToCriterion } from '../bench/rounds.js';

describe('bench rounds (side-by-side figures)', () => {
  it('alternatingRounds reverses the order every other round and keeps values in round order', async () => {
    const calls: string[] = [];
    const out = await alternatingRounds(['a', 'b', 'c'], 3, async (side, round) => {
      calls.push(`${side}${round}`);
      return round * 10 + side.charCodeAt(0);
    });
    expect(calls).toEqual(['a0', 'b0', 'c0', 'c1', 'b1', 'a1', 'a2', 'b2', 'c2']);
    expect(out.a).toEqual([97, 107, 117]);
    expect(out.c).toEqual([99, 109, 119]);
  });

  it('timeToCriterion polls while the steps run and is Infinity when the timeout passes first', async () => {
    let steps = 0;
    const met = await timeToCriterion(
      () => steps >= 3,
      async () => {
        steps++;
      },
      2_000,
      1,
    );
    expect(Number.isFinite(met)).toBe(true);
    // A step that settles at once must not starve the poll timer, or this would never return.
    const missed = await timeToCriterion(
      () => false,
      async () => {},
      20,
      1,
    );
    expect(missed).toBe(Number.POSITIVE_INFINITY);
  });

  it('timeToCriterion stops stepping once it returns', async () => {
    let steps = 0;
    await timeToCriterion(
      () => true,
      async () => {
        steps++;
      },
      1_000,
    );
    const after = steps;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(steps - after).toBeLessThanOrEqual(1);
  });
});
