import type { ChatKind, DeliveryState } from '@status-ts/client';
import type { DemoReport } from './demo.js';
import { PEOPLE } from './people.js';
import { formatTable } from './table.js';

const KINDS: readonly [ChatKind, string][] = [
  ['public', 'public chat'],
  ['one-to-one', '1:1'],
  ['group', 'group'],
];

const STATES: readonly DeliveryState[] = ['sending', 'sent', 'confirmed', 'acknowledged', 'failed'];

/** The summary printed at the end of the demo: nodes, messages, delivery states, history, timings. */
export function summaryLines(report: DemoReport): string[] {
  const nodes = formatTable(
    ['node', 'role', 'peers', 'envelopes in', 'envelopes out'],
    report.nodes.map((n) => [n.label, n.role, n.peers, n.envelopesIn, n.envelopesOut]),
  );

  const messages = formatTable(
    ['chat', 'sent', ...PEOPLE.map((p) => `${p} got`), 'legacy-whisper got'],
    KINDS.map(([kind, title]) => [
      title,
      report.sent.filter((s) => s.kind === kind).length,
      ...PEOPLE.map((p) => report.received.filter((r) => r.kind === kind && r.to === p).length),
      kind === 'public' ? report.whisper.length : 0,
    ]),
  );

  const followed = Object.values(report.deliveryStates);
  const delivery = formatTable(
    ['delivery state', '1:1 messages that reached it'],
    STATES.map((state) => [state, followed.filter((states) => states.includes(state)).length]),
  );

  const { offline } = report;
  const back = report.received.filter((r) => r.run === 'back');
  const history = formatTable(
    ['history (bob, back online)', ''],
    [
      [
        'fetches by himself',
        `${offline.fetches.length} from ${[...new Set(offline.fetches.map((f) => f.served))].join(', ')}`,
      ],
      ['pages / envelopes', `${sum(offline.fetches, 'pages')} / ${sum(offline.fetches, 'envelopes')}`],
      ['messages he missed', `${offline.missed.length} (public and 1:1)`],
      ['delivered to him', `${back.length} (${new Set(back.map((r) => r.id)).size} distinct)`],
      ['peer pool on return', `${offline.back.readyMs.toFixed(0)} ms, from ${sources(offline.back.peers)}`],
    ],
  );

  const timings = formatTable(
    ['step', 'ms'],
    report.timings.map((t) => [t.step, Math.round(t.ms)]),
  );

  return [
    ...nodes,
    '',
    ...messages,
    '',
    `${followed.length} followed 1:1 messages:`,
    ...delivery,
    '',
    ...history,
    '',
    ...timings,
  ];
}

function sum<K extends 'pages' | 'envelopes'>(items: readonly Record<K, number>[], key: K): number {
  return items.reduce((total, item) => total + item[key], 0);
}

function sources(peers: readonly { source: string }[]): string {
  return [...new Set(peers.map((p) => p.source))].join(' + ') || 'no new peer';
}
