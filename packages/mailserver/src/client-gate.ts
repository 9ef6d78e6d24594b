import type { Envelope, P2PGate, P2PRequestComplete, WakuNode, WakuPeer } from '@status-ts/waku';

/** The gates sharing one node: the one installed before the first client (the app's), and the clients'. */
interface Shared {
  base: P2PGate | undefined;
  readonly gates: Set<P2PGate>;
  readonly composite: P2PGate;
}

// A node has one P2P gate; every MailClient on it needs its say (each polices its own mailservers), so they
// share one composite per node, as they share their asks (client-asks).
const shared = new WeakMap<WakuNode, Shared>();

/**
 * Every gate sees the whole packet (each client keeps its own counts, as if alone), and only the envelopes
 * all of them pass are delivered; a request-complete is emitted when all of them take it.
 */
function composite(state: () => Shared): P2PGate {
  const all = () => {
    const { base, gates } = state();
    return base ? [base, ...gates] : [...gates];
  };
  return {
    envelopes(peer: WakuPeer, envelopes: readonly Envelope[], packetBytes: number): readonly Envelope[] {
      let passed: Set<Envelope> | undefined;
      for (const gate of all()) {
        const out = new Set(gate.envelopes(peer, envelopes, packetBytes));
        passed = passed ? new Set([...passed].filter((e) => out.has(e))) : out;
      }
      return passed ? envelopes.filter((e) => passed.has(e)) : envelopes;
    },
    complete(peer: WakuPeer, complete: P2PRequestComplete, packetBytes: number): boolean {
      let passed = true;
      // No short cut: each gate closes its own record of the request.
      for (const gate of all()) passed = gate.complete(peer, complete, packetBytes) && passed;
      return passed;
    },
  };
}

/**
 * Adds `gate` to the node's P2P gate; returns the function that takes it away again (idempotent). A gate
 * the node had before the first client (or that replaced the clients' since) keeps its say; when the last
 * client leaves, it is put back as it was.
 */
export function joinP2PGate(node: WakuNode, gate: P2PGate): () => void {
  let state = shared.get(node);
  if (!state) {
    const created: Shared = {
      base: node.p2pGate,
      gates: new Set(),
      composite: composite(() => created),
    };
    state = created;
    shared.set(node, state);
  } else if (node.p2pGate !== state.composite) {
    state.base = node.p2pGate;
  }
  state.gates.add(gate);
  node.setP2PGate(state.composite);
  const joined = state;
  return () => {
    if (!joined.gates.delete(gate) || joined.gates.size > 0) return;
    shared.delete(node);
    if (node.p2pGate === joined.composite) node.setP2PGate(joined.base);
  };
}
