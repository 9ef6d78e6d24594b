/**
 * How long and how hard the suite runs. `ci` (the default, part of `pnpm test`) keeps every scenario to
 * seconds; `long` (`RELIABILITY_PROFILE=long pnpm test:reliability`, run by hand) multiplies attack budgets,
 * the load duration and fuzz cases (about half an hour on 2 cores). Every loop in the suite is bounded by these numbers.
 */
export interface Profile {
  readonly name: 'ci' | 'long';
  /** How long an attack runs while the honest peer measures service. */
  readonly attackMs: number;
  /** Scale of attack budgets (envelopes, sockets, registrations) relative to the CI figures. */
  readonly scale: number;
  /** Load scenario: nodes, messages per second (all nodes together), duration. */
  readonly loadNodes: number;
  readonly loadRate: number;
  readonly loadMs: number;
  /** fast-check cases per decoder. */
  readonly fuzzRuns: number;
}

const PROFILES: Record<Profile['name'], Profile> = {
  ci: {
    name: 'ci',
    attackMs: 6_000,
    scale: 1,
    loadNodes: 20,
    loadRate: 100,
    loadMs: 10_000,
    fuzzRuns: 10_000,
  },
  long: {
    name: 'long',
    attackMs: 30_000,
    scale: 5,
    loadNodes: 20,
    loadRate: 100,
    loadMs: 120_000,
    fuzzRuns: 100_000,
  },
};

export function currentProfile(): Profile {
  const name = process.env.RELIABILITY_PROFILE ?? 'ci';
  if (name !== 'ci' && name !== 'long')
    throw new Error(`RELIABILITY_PROFILE must be ci or long, got ${name}`);
  return PROFILES[name];
}
