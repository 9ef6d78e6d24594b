#!/usr/bin/env node
// `pnpm mutation [package ...]`: runs Stryker over each package's wire codecs and limits (targets.mjs), one
// package at a time, incrementally, then prints the mutation score per package and writes mutation/scores.json.
// `--survivors` prints every surviving or uncovered mutant of the named packages (from the last run's report);
// `--force` tests every mutant again (an incremental run keeps the old result of a static mutant).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MUTATION_TARGETS } from './targets.mjs';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const args = process.argv.slice(2);
const listSurvivors = args.includes('--survivors');
// `--table`: only the table from the last reports, without running anything.
const tableOnly = args.includes('--table');
const force = args.includes('--force'); // every mutant again, static ones included
const names = args.filter((a) => !a.startsWith('--'));
const packages = names.length > 0 ? names : Object.keys(MUTATION_TARGETS);
for (const name of packages) {
  if (!MUTATION_TARGETS[name]) {
    console.error(`unknown package "${name}"; known: ${Object.keys(MUTATION_TARGETS).join(', ')}`);
    process.exit(2);
  }
}

const reportPath = (name) => join(repoRoot, 'reports', 'mutation', `${name}.json`);

/** Mutant counts of one Stryker JSON report, and the score as Stryker defines it (detected / valid). */
function summarize(report) {
  const counts = {
    Killed: 0,
    Timeout: 0,
    Survived: 0,
    NoCoverage: 0,
    Ignored: 0,
    CompileError: 0,
    RuntimeError: 0,
  };
  for (const file of Object.values(report.files)) {
    for (const mutant of file.mutants) counts[mutant.status] = (counts[mutant.status] ?? 0) + 1;
  }
  const detected = counts.Killed + counts.Timeout;
  const valid = detected + counts.Survived + counts.NoCoverage;
  return { ...counts, score: valid === 0 ? 100 : Math.round((detected / valid) * 10_000) / 100 };
}

function printSurvivors(name) {
  const report = JSON.parse(readFileSync(reportPath(name), 'utf8'));
  for (const [file, { mutants }] of Object.entries(report.files)) {
    for (const m of mutants) {
      if (m.status !== 'Survived' && m.status !== 'NoCoverage') continue;
      const at = `${file}:${m.location.start.line}:${m.location.start.column}`;
      console.log(`${m.status.padEnd(10)} ${at} ${m.mutatorName}: ${JSON.stringify(m.replacement ?? '')}`);
    }
  }
}

if (listSurvivors) {
  for (const name of packages) printSurvivors(name);
  process.exit(0);
}

let failed = false;
for (const name of tableOnly ? [] : packages) {
  console.log(`\n=== mutation testing @status-ts/${name}`);
  const run = spawnSync(
    'npx',
    ['stryker', 'run', 'tools/mutation/stryker.config.mjs', ...(force ? ['--force'] : [])],
    {
      cwd: repoRoot,
      stdio: 'inherit',
      env: { ...process.env, MUTATION_PACKAGE: name },
    },
  );
  if (run.status !== 0 || !existsSync(reportPath(name))) {
    console.error(`stryker failed for ${name} (exit ${run.status})`);
    failed = true;
  }
}

// The table (and mutation/scores.json) is derived from every package's last report, so runs of different
// packages, one after the other or at once, never overwrite each other's figures.
const scores = {};
for (const name of Object.keys(MUTATION_TARGETS)) {
  if (!existsSync(reportPath(name))) continue;
  const date = statSync(reportPath(name)).mtime.toISOString().slice(0, 10);
  scores[name] = { date, ...summarize(JSON.parse(readFileSync(reportPath(name), 'utf8'))) };
}
mkdirSync(join(repoRoot, 'mutation'), { recursive: true });
writeFileSync(join(repoRoot, 'mutation', 'scores.json'), `${JSON.stringify(scores, null, 2)}\n`);

console.log('\npackage            score   killed timeout survived no-cover ignored  date');
for (const [name, s] of Object.entries(scores)) {
  console.log(
    `${name.padEnd(18)} ${String(s.score).padStart(6)}% ${String(s.Killed).padStart(7)} ${String(s.Timeout).padStart(7)} ${String(s.Survived).padStart(8)} ${String(s.NoCoverage).padStart(8)} ${String(s.Ignored).padStart(7)}  ${s.date}`,
  );
}
process.exit(failed ? 1 : 0);
