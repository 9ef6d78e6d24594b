import { MUTATION_TARGETS } from './targets.mjs';

// One package per run (MUTATION_PACKAGE, set by tools/mutation/run.mjs), incremental: the previous result of
// each package is kept in mutation/<package>.incremental.json, so a re-run tests only changed code and tests.
const name = process.env.MUTATION_PACKAGE;
const targets = MUTATION_TARGETS[name];
if (!targets) throw new Error(`no mutation targets for package "${name}"`);

export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner', './tools/mutation/error-message-ignorer.mjs'],
  ignorers: ['error-messages'],
  vitest: { configFile: 'tools/mutation/vitest.config.ts', related: true },
  mutate: targets.map((glob) => `packages/${name}/${glob}`),
  coverageAnalysis: 'perTest',
  incremental: true,
  incrementalFile: `mutation/${name}.incremental.json`,
  reporters: ['json', 'clear-text', 'progress'],
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true, reportMutants: false },
  concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 2),
  // Tests run on ManualClocks in milliseconds: a mutant still running 3 s past its tests' own time loops.
  timeoutMS: 3_000,
  // A package's whole suite runs once, serially, with coverage first (the mailserver's includes PostgreSQL).
  dryRunTimeoutMinutes: 20,
  // One sandbox folder per package, so runs of two packages at once never clean up each other's.
  tempDirName: `.stryker-tmp/${name}`,
  cleanTempDir: 'always',
  ignorePatterns: [
    '/reports',
    '/.stryker-tmp',
    '/mutation',
    '/reliability/results',
    'coverage',
    '/.vitest-report.json',
    '/.vitest-reliability.json',
    'examples/*/node_modules',
  ],
  thresholds: { high: 90, low: 85, break: null },
};
