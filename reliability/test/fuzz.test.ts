import { describe, expect, test } from 'vitest';
import { record } from '../src/figures.js';
import { casesFor, type FuzzCounts, type FuzzEntry, runFuzz } from '../src/fuzz/harness.js';
import { fuzzLayers } from '../src/fuzz/index.js';
import { currentProfile } from '../src/profile.js';

// Every decoder of the stack that reads bytes or text from the network or from disk (the table in
// src/fuzz/, one test per decoder), under fast-check: each input must decode or throw a StatusTsError
// whose code starts with ERR_. Any other throw fails the test with the (shrunk) input.
// FUZZ_SEED=<seed> replays a reported run.

const profile = currentProfile();
const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const count = (n: number) => n.toLocaleString('en-US');

/** What the figure says about an entry's known finding (an untyped throw reported to its package). */
function knownFinding(e: FuzzEntry, counts: FuzzCounts): string {
  if (e.knownUntyped === undefined) return '';
  if (counts.known === 0)
    return `; known finding not hit in this run (fixed? then drop it): ${e.knownUntyped}`;
  const example = counts.knownExample ?? '';
  const shown = example.length > 300 ? `${example.slice(0, 300)}…` : example;
  return ` other than a known finding (to fix in the package): ${count(counts.known)} × ${e.knownUntyped}, e.g. ${shown}`;
}

for (const [layerName, entries] of fuzzLayers) {
  describe(`fuzz ${layerName}`, () => {
    for (const e of entries) {
      test(e.name, async () => {
        const runs = casesFor(e, profile.fuzzRuns);
        const counts = await runFuzz(e, runs, seed);
        expect(counts.returned + counts.typed + counts.known).toBe(runs);
        const reduced =
          runs < profile.fuzzRuns && e.slow
            ? `; ${count(runs)} not ${count(profile.fuzzRuns)}: ${e.slow.why}`
            : '';
        record({
          kind: 'fuzz',
          name: `${e.layer}: ${e.name}`,
          sent: `${count(runs)} cases (${e.how}${reduced})`,
          note: `${count(counts.returned)} decoded, ${count(counts.typed)} typed rejections, 0 untyped${knownFinding(e, counts)}`,
        });
      });
    }
  });
}
