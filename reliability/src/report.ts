// Prints the figures of the last runs (results/<profile>.jsonl) as the markdown tables of docs/reliability.md:
//   node --import tsx reliability/src/report.ts [ci|long]
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Figure } from './figures.js';

const profile = process.argv[2] ?? 'ci';
const file = fileURLToPath(new URL(`../results/${profile}.jsonl`, import.meta.url));
if (!existsSync(file)) {
  process.stderr.write(`no results for the ${profile} profile: run the suite first\n`);
  process.exit(2);
}
// The last run of each figure wins (the file accumulates runs).
const latest = new Map<string, Figure & { at: string }>();
for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
  const figure = JSON.parse(line) as Figure & { at: string };
  latest.set(`${figure.kind}:${figure.name}`, figure);
}
const figures = [...latest.values()];
const cell = (text: string | number | undefined) => String(text ?? '').replace(/\|/g, '\\|');
const drops = (d: Record<string, number> | undefined) =>
  Object.entries(d ?? {})
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
const out: string[] = [];
const table = (title: string, head: string[], rows: string[][]) => {
  if (rows.length === 0) return;
  out.push(`### ${title}`, '', `| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`);
  for (const row of rows) out.push(`| ${row.map(cell).join(' | ')} |`);
  out.push('');
};
table(
  'Attacks',
  [
    'attack',
    'what was sent',
    'victim up',
    'honest served',
    'honest p50 / p99',
    'memory (bound)',
    'drops counted',
    'notes',
  ],
  figures
    .filter((f) => f.kind === 'attack')
    .map((f) => [
      f.name,
      f.sent,
      f.up ? 'yes' : 'NO',
      f.honest ? `${f.honest.ok}/${f.honest.total}` : '',
      f.honest ? `${f.honest.p50Ms} / ${f.honest.p99Ms} ms` : '',
      [
        f.peakRssMb === undefined ? '' : `${f.peakRssMb} MB${f.rssBoundMb ? ` (${f.rssBoundMb})` : ''}`,
        f.liveMb === undefined ? '' : `live after GC ${f.liveMb} MB (${f.liveBoundMb ?? '-'})`,
      ]
        .filter(Boolean)
        .join('; '),
      drops(f.drops),
      f.note ?? '',
    ]),
);
table(
  'Faults',
  ['fault', 'what happened', 'lost', 'duplicated', 'notes'],
  figures
    .filter((f) => f.kind === 'fault')
    .map((f) => [f.name, f.sent, `${f.lost}`, `${f.duplicated}`, drops(f.drops)]),
);
table(
  'Load',
  ['load', 'what was sent', 'delivered', 'latency p50 / p99', 'lost', 'duplicated', 'notes'],
  figures
    .filter((f) => f.kind === 'load')
    .map((f) => [
      f.name,
      f.sent,
      f.honest ? `${f.honest.ok}/${f.honest.total}` : '',
      f.honest ? `${f.honest.p50Ms} / ${f.honest.p99Ms} ms` : '',
      `${f.lost}`,
      `${f.duplicated}`,
      f.note ?? '',
    ]),
);
table(
  'Fuzzing',
  ['decoder', 'cases', 'result'],
  figures.filter((f) => f.kind === 'fuzz').map((f) => [f.name, f.sent, f.note ?? '']),
);
process.stdout.write(`${out.join('\n')}\n`);
