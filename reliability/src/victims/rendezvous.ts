import { runRendezvousServer } from '@status-ts/rendezvous/libp2p';
import { runChild } from '../child.js';

/** A rendezvous server (what `status-ts-rendezvous-server` runs) with its defaults, on 127.0.0.1. */
await runChild(async ({ handle }) => {
  const running = await runRendezvousServer({ listen: ['/ip4/127.0.0.1/tcp/0'] });
  // The most live records and namespaces seen, sampled every 50 ms: what the global caps bound.
  const peak = { records: 0, namespaces: 0 };
  const sampler = setInterval(() => {
    const { records, namespaces } = running.server.occupancy;
    peak.records = Math.max(peak.records, records);
    peak.namespaces = Math.max(peak.namespaces, namespaces);
  }, 50);
  sampler.unref();
  handle('stats', () => ({ ...running.server.stats, peak }));
  return { address: running.addresses[0]! };
});
