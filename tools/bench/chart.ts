import type { FigureRow } from './harness.js';

/** The series name the devp2p bench gives its throughput rows (`series.x` is the message size in bytes). */
export const RLPX_THROUGHPUT_SERIES = 'rlpx-throughput';

const WIDTH = 720;
const TITLE = 'RLPx throughput over 127.0.0.1 (median MB/s of payload)';
const HEIGHT = 420;
const PLOT = { left: 70, right: 250, top: 40, bottom: 360 }; // the plot area; the legend sits at its right
const COLORS = { ours: '#1f77b4', peer: '#d62728', bound: '#7f7f7f' };
/** The bound is dashed: ours often runs on top of it, and both must stay visible. */
const DASH = { ours: '', peer: '', bound: ' stroke-dasharray="6 4"' };

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const sizeLabel = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MB` : bytes >= 1024 ? `${bytes / 1024} KB` : `${bytes} B`;

/** A round step (1, 2 or 5 times a power of ten) giving about `ticks` intervals up to `max`. */
function niceStep(max: number, ticks: number): number {
  const raw = max / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const scaled = raw / power;
  return (scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 5 ? 5 : 10) * power;
}

/**
 * RLPx throughput against message size as a self-contained SVG (no fonts, scripts or links): log-scale x
 * (message size), linear y (MB/s of payload, medians), one line each for status-ts, the peer and the bound,
 * a legend, axis labels and tick labels. Takes every row; uses those of the `rlpx-throughput` series.
 */
export function renderThroughputChart(rows: readonly FigureRow[]): string {
  const points = rows
    .filter((row) => row.series?.name === RLPX_THROUGHPUT_SERIES)
    .map((row) => ({
      x: row.series!.x,
      ours: row.ours.median,
      peer: row.peer?.value.median,
      bound: row.bound?.value.median,
    }))
    .sort((a, b) => a.x - b.x);
  if (points.length === 0) throw new Error('no rows of the rlpx-throughput series to chart');
  const first = rows.find((row) => row.series?.name === RLPX_THROUGHPUT_SERIES)!;
  const lines = [
    { label: 'status-ts', color: COLORS.ours, dash: DASH.ours, values: points.map((p) => p.ours) },
    {
      label: first.peer?.name ?? 'peer',
      color: COLORS.peer,
      dash: DASH.peer,
      values: points.map((p) => p.peer),
    },
    {
      label: `bound: ${first.bound?.name ?? ''}`,
      color: COLORS.bound,
      dash: DASH.bound,
      values: points.map((p) => p.bound),
    },
  ];

  const xs = points.map((p) => Math.log2(p.x));
  const [xMin, xMax] = [Math.min(...xs), Math.max(...xs)];
  const plotWidth = WIDTH - PLOT.left - PLOT.right;
  const plotHeight = PLOT.bottom - PLOT.top;
  const xAt = (bytes: number) =>
    PLOT.left + (xMax === xMin ? plotWidth / 2 : ((Math.log2(bytes) - xMin) / (xMax - xMin)) * plotWidth);
  const top = Math.max(1e-9, ...lines.flatMap((l) => l.values.filter((v) => v !== undefined)));
  const step = niceStep(top, 5);
  const yMax = Math.ceil(top / step) * step;
  const yAt = (value: number) => PLOT.bottom - (value / yMax) * plotHeight;
  const n = (v: number) => v.toFixed(1);

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    // The title names the chart for screen readers and as the file's tooltip.
    `<title>${TITLE}</title>`,
    `<rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${PLOT.left}" y="22" font-size="14" font-weight="bold">${TITLE}</text>`,
  ];
  // Y grid and ticks.
  for (let v = 0; v <= yMax + step / 2; v += step) {
    const y = n(yAt(v));
    out.push(
      `<line x1="${PLOT.left}" y1="${y}" x2="${WIDTH - PLOT.right}" y2="${y}" stroke="#e0e0e0"/>`,
      `<text x="${PLOT.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${Number(v.toPrecision(6))}</text>`,
    );
  }
  // X ticks at the measured sizes.
  for (const p of points) {
    const x = n(xAt(p.x));
    out.push(
      `<line x1="${x}" y1="${PLOT.bottom}" x2="${x}" y2="${PLOT.bottom + 5}" stroke="#000000"/>`,
      `<text x="${x}" y="${PLOT.bottom + 18}" text-anchor="middle">${sizeLabel(p.x)}</text>`,
    );
  }
  out.push(
    `<line x1="${PLOT.left}" y1="${PLOT.bottom}" x2="${WIDTH - PLOT.right}" y2="${PLOT.bottom}" stroke="#000000"/>`,
    `<line x1="${PLOT.left}" y1="${PLOT.top}" x2="${PLOT.left}" y2="${PLOT.bottom}" stroke="#000000"/>`,
    `<text x="${(PLOT.left + WIDTH - PLOT.right) / 2}" y="${HEIGHT - 12}" text-anchor="middle">message size (log scale)</text>`,
    `<text x="18" y="${(PLOT.top + PLOT.bottom) / 2}" text-anchor="middle" transform="rotate(-90 18 ${(PLOT.top + PLOT.bottom) / 2})">MB/s</text>`,
  );
  // One polyline per side, a dot per measured size, and the legend.
  lines.forEach((line, i) => {
    const coords = points.flatMap((p, j) => {
      const v = line.values[j];
      return v === undefined ? [] : [[xAt(p.x), yAt(v)] as const];
    });
    out.push(
      `<polyline fill="none" stroke="${line.color}" stroke-width="2"${line.dash} points="${coords.map(([x, y]) => `${n(x)},${n(y)}`).join(' ')}"/>`,
      ...coords.map(([x, y]) => `<circle cx="${n(x)}" cy="${n(y)}" r="3" fill="${line.color}"/>`),
    );
    const ly = PLOT.top + 10 + i * 22;
    const lx = WIDTH - PLOT.right + 20;
    out.push(
      `<line x1="${lx}" y1="${ly}" x2="${lx + 24}" y2="${ly}" stroke="${line.color}" stroke-width="2"${line.dash}/>`,
      `<text x="${lx + 30}" y="${ly}" dominant-baseline="middle">${escapeXml(line.label)}</text>`,
    );
  });
  out.push('</svg>', '');
  return out.join('\n');
}
