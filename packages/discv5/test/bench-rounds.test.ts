import { describe, expect, it } from 'vitest';
import { timeToCriterion } from '../bench/rounds.js';

describe('bench time to a criterion (side-by-side figures)', () => {
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
