import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  alternatingRounds,
  describeLoad,
  type FigureRow,
  formatSpread,
  interleavedRounds,
  pairedRatios,
  pairedSpeedups,
  recordFigure,
  summarize,
} from '../bench/harness.js';
import { parseRows, renderTable } from '../bench/table.js';

describe('bench harness: statistics', () => {
  it('summarize gives the median (mean of the middle two for even counts), quartiles, min and max', () => {
    expect(summarize([5, 1, 3])).toEqual({ median: 3, low: 1, high: 5, min: 1, max: 5, rounds: 3 });
    const even = summarize([4, 1, 3, 2, 8, 6, 5, 7]);
    expect(even.median).toBe(4.5);
    expect([even.low, even.high, even.min, even.max, even.rounds]).toEqual([2, 6, 1, 8, 8]);
    expect(() => summarize([])).toThrow();
  });

  it('formatSpread prints the median and the interquartile range', () => {
    expect(formatSpread(summarize([1000, 2000, 3000, 4000]), 0)).toBe('2,500 [1,000–3,000]');
    expect(formatSpread(summarize([1.25]), 2)).toBe('1.25 [1.25–1.25]');
  });

  it('pairedRatios divides round by round and refuses different round counts', () => {
    expect(pairedRatios([10, 30], [5, 10])).toEqual([2, 3]);
    expect(() => pairedRatios([1], [1, 2])).toThrow();
  });

  it('pairedSpeedups is above 1 when ours is better, for rates and for times', () => {
    expect(pairedSpeedups([10, 30], [5, 10], 'higher')).toEqual([2, 3]);
    expect(pairedSpeedups([5, 10], [10, 30], 'lower')).toEqual([2, 3]);
  });
});

describe('bench harness: interleaved rounds', () => {
  it('runs each workload once per round in a fixed order after the warm-up, and reports ops per second', async () => {
    const calls: string[] = [];
    let t = 0;
    const rates = await interleavedRounds(
      {
        a: {
          ops: 10,
          run: () => {
            calls.push('a');
            t += 5;
          },
        },
        b: {
          ops: 4,
          run: async () => {
            calls.push('b');
            t += 2;
          },
        },
      },
      { rounds: 3, warmup: 2, now: () => t },
    );
    expect(calls).toEqual(['a', 'a', 'b', 'b', 'a', 'b', 'a', 'b', 'a', 'b']);
    expect(rates.a).toEqual([2000, 2000, 2000]);
    expect(rates.b).toEqual([2000, 2000, 2000]);
  });
});

describe('bench harness: alternating rounds', () => {
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

  it('alternatingRounds keeps the order when alternate is false', async () => {
    const calls: string[] = [];
    await alternatingRounds(['a', 'b'], 2, (side) => calls.push(side), false);
    expect(calls).toEqual(['a', 'b', 'a', 'b']);
  });

  it('interleavedRounds alternates the order of the timed rounds with alternate, not the warm-up', async () => {
    const calls: string[] = [];
    const work = (name: string) => ({ ops: 1, run: () => void calls.push(name) });
    await interleavedRounds({ a: work('a'), b: work('b') }, { rounds: 3, warmup: 1, alternate: true });
    expect(calls).toEqual(['a', 'b', 'a', 'b', 'b', 'a', 'a', 'b']);
  });
});

describe('bench harness: rows for the root table', () => {
  it('recordFigure appends one JSON line per figure, and writes nothing without a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-rows-'));
    try {
      const file = join(dir, 'rows.jsonl');
      const row: FigureRow = {
        package: 'waku',
        figure: 'seal',
        unit: 'ms',
        ours: summarize([1, 2, 3]),
        loadBefore: 0.5,
        loadAfter: 0.7,
      };
      recordFigure(row, file);
      recordFigure({ ...row, figure: 'open' }, file);
      recordFigure(row, undefined);
      const lines = readFileSync(file, 'utf8').trim().split('\n');
      expect(lines.map((l) => JSON.parse(l).figure)).toEqual(['seal', 'open']);
      expect(JSON.parse(lines[0]!)).toEqual(row);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('recordFigure keeps the optional chart series of a row (name and x), and the table ignores it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-rows-'));
    try {
      const file = join(dir, 'rows.jsonl');
      const row: FigureRow = {
        package: 'devp2p',
        figure: 'RLPx throughput, 1 KB messages',
        unit: 'MB/s',
        ours: summarize([20, 22, 24]),
        series: { name: 'rlpx-throughput', x: 1024 },
        loadBefore: 0.5,
        loadAfter: 0.7,
      };
      recordFigure(row, file);
      const [back] = parseRows(readFileSync(file, 'utf8'));
      expect(back!.series).toEqual({ name: 'rlpx-throughput', x: 1024 });
      expect(renderTable([back!])).toBe(renderTable([{ ...row, series: undefined }]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('describeLoad names the load average and the cores', () => {
    expect(describeLoad({ load1: 1.234, cores: 2, cpu: 'x' })).toBe('load 1.23 on 2 cores');
  });
});

describe('bench table', () => {
  const row: FigureRow = {
    package: 'devp2p',
    figure: 'RLPx 64 KB messages',
    unit: 'MB/s',
    ours: summarize([180, 200, 220]),
    peer: { name: '@ethereumjs/devp2p', value: summarize([9, 10, 11]), ratio: summarize([18, 20, 22]) },
    bound: {
      name: 'AES-CTR + MAC + TCP',
      value: summarize([250, 260, 270]),
      share: summarize([0.7, 0.75, 0.8]),
    },
    loadBefore: 0.25,
    loadAfter: 1.5,
  };

  it('prints one line per figure with medians, interquartile ranges, the ratio and the share of the bound', () => {
    const lines = renderTable([row, { ...row, figure: 'alone', peer: undefined, bound: undefined }]).split(
      '\n',
    );
    expect(lines).toHaveLength(4);
    expect(lines[2]).toBe(
      '| devp2p | RLPx 64 KB messages | MB/s | 200 [180–220] | @ethereumjs/devp2p | 10.0 [9.0–11.0] | 20.00 [18.00–22.00]× | AES-CTR + MAC + TCP | 260 [250–270] | 75% [70–80%] | 0.25 → 1.50 |',
    );
    expect(lines[3]).toBe('| devp2p | alone | MB/s | 200 [180–220] |  |  |  |  |  |  | 0.25 → 1.50 |');
    const time = renderTable([{ ...row, unit: 'ms', better: 'lower', peer: undefined, bound: undefined }]);
    expect(time.split('\n')[2]).toContain('| ms (lower is better) |');
  });

  it('parseRows reads the JSON lines back and names a broken line', () => {
    expect(parseRows(`${JSON.stringify(row)}\n\n${JSON.stringify(row)}\n`)).toEqual([row, row]);
    expect(() => parseRows(`${JSON.stringify(row)}\n{broken`)).toThrow(/line 2/);
  });
});
