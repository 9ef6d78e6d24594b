import type { WakuNode } from '@status-ts/waku';

/** What a node does in the demo network. */
export type MemberRole = 'bootstrap' | 'relayer' | 'mailserver' | 'bridge' | 'whisper-only' | 'mobile';

/** One node's line in the summary: Waku (or Whisper) peers and envelopes in and out. */
export interface NodeRow {
  readonly label: string;
  readonly role: MemberRole;
  readonly peers: number;
  /** Envelopes taken from peers: relayed ones and history (p2p) ones. */
  readonly envelopesIn: number;
  /** Envelopes written to peers, ours and relayed ones, and history served. */
  readonly envelopesOut: number;
}

/** A node of the demo, a client node or a raw one. */
export interface Member {
  readonly label: string;
  readonly role: MemberRole;
  /** devp2p node id (hex), how peers and the PeerPool name it. */
  readonly nodeId: string;
  readonly waku: WakuNode;
  /** Its line as it was when it left the network (Bob's first run). */
  retired?: NodeRow;
}

/** Everyone in the demo: names node ids and chat keys by label. */
export class Cast {
  readonly members: Member[] = [];
  readonly #authors = new Map<string, string>();

  add(member: Member): Member {
    this.members.push(member);
    return member;
  }

  /** A person's chat key (`0x04…`), named by `label` in what the demo prints. */
  addAuthor(chatId: string, label: string): void {
    this.#authors.set(chatId, label);
  }

  nodeLabel(nodeId: string): string {
    return this.members.find((m) => m.nodeId === nodeId)?.label ?? `${nodeId.slice(0, 8)}…`;
  }

  authorLabel(chatId: string): string {
    return this.#authors.get(chatId) ?? `${chatId.slice(0, 10)}…`;
  }

  /** Keeps a node's line before it stops, so the summary still shows it. */
  retire(member: Member): void {
    member.retired = rowOf(member);
  }

  rows(): NodeRow[] {
    return this.members.map((m) => m.retired ?? rowOf(m));
  }
}

function rowOf(member: Member): NodeRow {
  const c = member.waku.counters;
  return {
    label: member.label,
    role: member.role,
    peers: member.waku.peers.length,
    envelopesIn: c.envelopesReceived + c.p2pEnvelopesReceived,
    envelopesOut: c.envelopesRelayed + c.p2pEnvelopesSent,
  };
}
