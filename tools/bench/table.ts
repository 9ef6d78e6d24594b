import { type FigureRow, formatSpread, type Spread } from './harness.js';

/** Significant digits that keep small and large figures readable in one column. */
function digitsFor(s: Spread): number {
  const m = Math.abs(s.median);
  return m >= 100 ? 0 : m >= 10 ? 1 : m >= 1 ? 2 : 3;
}

const cell = (s: Spread | undefined) => (s === undefined ? '' : formatSpread(s, digitsFor(s)));
const times = (s: Spread | undefined) => (s === undefined ? '' : `${formatSpread(s, 2)}×`);
const percent = (s: Spread | undefined) =>
  s === undefined
    ? ''
    : `${(s.median * 100).toFixed(0)}% [${(s.low * 100).toFixed(0)}–${(s.high * 100).toFixed(0)}%]`;

/**
 * The root table: one line per figure, medians with the interquartile range in brackets. "Ours better by" (above
 * 1: ours is better, for rates and times alike) and the share of the bound are medians of per-round ratios, not
 * ratios of medians.
 */
export function renderTable(rows: readonly FigureRow[]): string {
  const lines = [
    '| package | figure | unit | ours | peer | peer value | ours better by | bound | bound value | % of bound | load before → after |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of rows) {
    lines.push(
      `| ${[
        row.package,
        row.figure,
        row.better === 'lower' ? `${row.unit} (lower is better)` : row.unit,
        cell(row.ours),
        row.peer?.name ?? '',
        cell(row.peer?.value),
        times(row.peer?.ratio),
        row.bound?.name ?? '',
        cell(row.bound?.value),
        percent(row.bound?.share),
        `${row.loadBefore.toFixed(2)} → ${row.loadAfter.toFixed(2)}`,
      ].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

/** Rows from the JSON lines that `recordFigure` wrote; a line that does not parse is reported, not skipped. */
export function parseRows(text: string): FigureRow[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      try {
        return JSON.parse(line) as FigureRow;
      } catch (cause) {
        throw new Error(`bench results line ${i + 1} is not JSON`, { cause });
      }
    });
}
