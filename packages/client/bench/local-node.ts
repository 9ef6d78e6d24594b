/**
 * Every bench node runs on 127.0.0.1 with the peers the bench gives it: discovery is off, since by default a
 * node looks for peers in the Status production fleet (discv5, rendezvous, DNS), which would make the
 * figures depend on the internet and, for the byte counts, mix in traffic the bench did not ask for.
 */
import { createStatusNode, type StatusNode, type StatusNodeOptions } from '../src/index.js';

export function localNode(options: Omit<StatusNodeOptions, 'discovery'>): StatusNode {
  return createStatusNode({ ...options, discovery: false });
}
