import { describe, expect, it } from 'vitest';
import { RLPX_THROUGHPUT_SERIES, renderThroughputChart } from '../bench/chart.js';
import { type FigureRow, summarize } from '../bench/harness.js';

const row = (x: number, ours: number, peer: number, bound: number): FigureRow => ({
  package: 'devp2p',
  figure: `RLPx throughput, ${x} B messages`,
  unit: 'MB/s',
  ours: summarize([ours]),
  peer: { name: '@ethereumjs/devp2p 10.0.0', value: summarize([peer]), ratio: summarize([ours / peer]) },
  bound: { name: 'AES-CTR + MAC + TCP', value: summarize([bound]), share: summarize([ours / bound]) },
  series: { name: RLPX_THROUGHPUT_SERIES, x },
  loadBefore: 0,
  loadAfter: 0,
});

/** XML-ish check: every `<...>` is a tag with quoted attributes, tags nest and close, text has no stray `<`, `>` or `&`. */
function wellFormedTags(svg: string): string[] {
  const stack: string[] = [];
  const names: string[] = [];
  for (const text of svg.split(/<[^<>]*>/)) {
    expect(text).not.toMatch(/[<>]|&(?!(amp|lt|gt|quot);)/);
  }
  for (const [tag] of svg.matchAll(/<[^<>]*>/g)) {
    const m = /^<(\/?)([a-zA-Z]+)((?:\s+[\w:-]+="[^"<>]*")*)\s*(\/?)>$/.exec(tag);
    expect(m, tag).not.toBeNull();
    const [, close, name, , selfClose] = m!;
    if (close) expect(stack.pop()).toBe(name);
    else {
      names.push(name!);
      if (!selfClose) stack.push(name!);
    }
  }
  expect(stack).toEqual([]);
  return names;
}

const polylinePoints = (svg: string) =>
  [...svg.matchAll(/<polyline [^>]*points="([^"]*)"/g)].map(([, pts]) =>
    pts!.split(' ').map((pair) => pair.split(',').map(Number) as [number, number]),
  );

describe('bench chart: RLPx throughput', () => {
  const sizes = [256, 1024, 4096, 65536];
  const rows = [
    // Out of order and mixed with a row of another figure: the chart sorts by size and ignores it.
    row(4096, 60, 4, 80),
    row(256, 10, 1, 12),
    { ...row(512, 999, 999, 999), series: undefined, figure: 'not on the chart' },
    row(65536, 90, 5, 100),
    row(1024, 30, 2, 40),
  ];
  const svg = renderThroughputChart(rows);

  it('is a well-formed SVG with a legend, axis labels and tick labels', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    const names = wellFormedTags(svg);
    expect(names[0]).toBe('svg');
    expect(names[1]).toBe('title');
    expect(svg).toContain('<title>RLPx throughput over 127.0.0.1 (median MB/s of payload)</title>');
    for (const text of [
      'status-ts',
      '@ethereumjs/devp2p 10.0.0',
      'bound: AES-CTR + MAC + TCP',
      'message size (log scale)',
      'MB/s',
      '256 B',
      '1 KB',
      '4 KB',
      '64 KB',
    ]) {
      expect(svg).toContain(`>${text}</text>`);
    }
    expect(svg).not.toContain('512 B');
  });

  it('draws three polylines with one point per size, x growing with the size on a log scale', () => {
    const lines = polylinePoints(svg);
    expect(lines).toHaveLength(3);
    for (const points of lines) {
      expect(points).toHaveLength(sizes.length);
      const xs = points.map(([x]) => x);
      expect([...xs].sort((a, b) => a - b)).toEqual(xs);
      // 256 B -> 1 KB -> 4 KB are equal steps on a log scale; 4 KB -> 64 KB is twice as wide.
      expect(xs[1]! - xs[0]!).toBeCloseTo(xs[2]! - xs[1]!, 0);
      expect(xs[3]! - xs[2]!).toBeCloseTo(2 * (xs[2]! - xs[1]!), 0);
    }
  });

  it('places larger values higher (smaller SVG y)', () => {
    const [ours, peer, bound] = polylinePoints(svg);
    for (let i = 0; i < sizes.length; i++) {
      expect(bound![i]![1]).toBeLessThan(ours![i]![1]);
      expect(ours![i]![1]).toBeLessThan(peer![i]![1]);
    }
    // Within a line, too: ours grows with the size.
    const ys = ours!.map(([, y]) => y);
    expect([...ys].sort((a, b) => b - a)).toEqual(ys);
  });

  it('escapes names and refuses rows without the series', () => {
    const odd = row(1024, 1, 1, 1);
    odd.peer!.name = 'a <b> & "c"';
    expect(renderThroughputChart([odd])).toContain('>a &lt;b&gt; &amp; &quot;c&quot;</text>');
    wellFormedTags(renderThroughputChart([odd]));
    expect(() => renderThroughputChart([{ ...odd, series: undefined }])).toThrow(/rlpx-throughput/);
  });
});
