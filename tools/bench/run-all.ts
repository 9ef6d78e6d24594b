// `pnpm bench` at the root: runs every package's bench (`pnpm -r --if-present bench`, or only the packages
// named as arguments: `pnpm bench waku devp2p`), collects the figures they record, prints one table and writes
// it to docs/performance.md with the date, the machine and the command (and docs/performance-rlpx.svg, the
// RLPx throughput chart from the devp2p bench's rows). A run of named packages prints the table only.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { arch, platform, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RLPX_THROUGHPUT_SERIES, renderThroughputChart } from './chart.js';
import { describeLoad, machineLoad } from './harness.js';
import { parseRows, renderTable } from './table.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const packages = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const filters = packages.flatMap((name) => ['--filter', `@status-ts/${name}`]);
const command = `pnpm bench${packages.length > 0 ? ` ${packages.join(' ')}` : ''}`;

const dir = mkdtempSync(join(tmpdir(), 'status-bench-'));
const resultsFile = join(dir, 'rows.jsonl');
writeFileSync(resultsFile, '');
const before = machineLoad();
console.log(`${command}: ${describeLoad(before)}, ${before.cpu}, node ${process.version}`);
const run = spawnSync('pnpm', [...filters, '-r', '--if-present', '--workspace-concurrency=1', 'bench'], {
  cwd: repoRoot,
  stdio: 'inherit',
  env: { ...process.env, STATUS_BENCH_RESULTS: resultsFile },
});
const rows = parseRows(readFileSync(resultsFile, 'utf8'));
rmSync(dir, { recursive: true, force: true });

const table = renderTable(rows);
console.log(`\n${table}\n\n${describeLoad()} after the run`);
// The RLPx throughput chart comes from the devp2p bench's rows; like the table, only a full run writes it.
const chart = rows.some((row) => row.series?.name === RLPX_THROUGHPUT_SERIES);
if (rows.length > 0 && packages.length === 0) {
  if (chart) {
    writeFileSync(join(repoRoot, 'docs', 'performance-rlpx.svg'), renderThroughputChart(rows));
    console.log('wrote docs/performance-rlpx.svg');
  }
  const machine = `${before.cpu}, ${before.cores} cores, ${platform()} ${arch()}, node ${process.version}`;
  const doc = [
    '# Performance',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine} with \`${command}\` (each package's`,
    'bench: `pnpm --filter @status-ts/<name> bench`). Every figure is the median over interleaved rounds with the',
    'interquartile range in brackets; a ratio or a share of a bound is the median of per-round ratios (ours and',
    "the peer or the bound measured in the same round). The load columns are the machine's one-minute load",
    'average before and after that package ran: discount figures taken under load.',
    '',
    table,
    '',
    ...(chart ? ['![RLPx throughput](performance-rlpx.svg)', ''] : []),
  ].join('\n');
  writeFileSync(join(repoRoot, 'docs', 'performance.md'), doc);
  console.log('wrote docs/performance.md');
}
process.exitCode = run.status ?? 1;
