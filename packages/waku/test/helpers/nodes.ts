import { ManualClock, unixSeconds } from '@status-ts/core';
import { randomBytes } from '@status-ts/crypto';
import {
  type CapabilityMessage,
  createMemoryCapabilityPair,
  type MemoryCapabilityStream,
} from '@status-ts/devp2p';
import {
  buildEnvelopeData,
  type Envelope,
  encodeEnvelopeList,
  encodeStatusOptions,
  type StatusOptions,
  sealEnvelopeSync,
  type Topic,
  WAKU_PROTOCOL,
  WakuCode,
  WakuNode,
  type WakuNodeOptions,
  WHISPER_PROTOCOL,
  type WireProtocolName,
} from '../../src/index.js';

export const T0 = 1_700_000_000_000;

/** Lets queued promise callbacks and stream deliveries run (no clock involved). */
export async function settle(rounds = 12): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Advances a ManualClock in steps, settling after each so relay ticks and replies interleave. */
export async function advance(clock: ManualClock, ms: number, step = 100): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    clock.advance(Math.min(step, ms - t));
    await settle();
  }
}

export class Nodes {
  readonly clock = new ManualClock(T0);
  readonly all: WakuNode[] = [];

  async node(options: WakuNodeOptions = {}): Promise<WakuNode> {
    const node = new WakuNode({ clock: this.clock, ...options });
    await node.start();
    this.all.push(node);
    return node;
  }

  async stop(): Promise<void> {
    for (const n of this.all.splice(0)) await n.stop();
  }
}

export interface EnvelopeSpec {
  topic?: Topic;
  ttl?: number;
  /** Seconds between now and the sent time (negative: in the past). */
  sentOffset?: number;
  pow?: number;
  dataLength?: number;
  symKey?: Uint8Array;
  payload?: Uint8Array;
}

export const TOPIC_A = Uint8Array.of(1, 2, 3, 4);
export const TOPIC_B = Uint8Array.of(5, 6, 7, 8);
export const KEY = Uint8Array.from({ length: 32 }, (_, i) => i + 1);

/** A sealed envelope whose times are relative to `clock`. */
export function makeEnvelope(clock: ManualClock, spec: EnvelopeSpec = {}): Envelope {
  const ttl = spec.ttl ?? 10;
  const sent = unixSeconds(clock) + (spec.sentOffset ?? 0);
  const data =
    spec.payload !== undefined || spec.symKey !== undefined
      ? buildEnvelopeData({ payload: spec.payload ?? new Uint8Array(0), symKey: spec.symKey ?? KEY })
      : randomBytes(spec.dataLength ?? 64);
  return sealEnvelopeSync(
    { expiry: sent + ttl, ttl, topic: spec.topic ?? TOPIC_A, data },
    { pow: spec.pow ?? 0.002 },
  ).envelope;
}

/** The test itself speaking waku/1 or shh/6 to a node over an in-memory stream. */
export class RawPeer {
  readonly received: CapabilityMessage[] = [];
  readonly stream: MemoryCapabilityStream;
  readonly nodeStream: MemoryCapabilityStream;
  readonly id: Uint8Array;

  constructor(node: WakuNode, protocol: WireProtocolName = 'waku', extra: { remoteAddress?: string } = {}) {
    const spec = protocol === 'waku' ? WAKU_PROTOCOL : WHISPER_PROTOCOL;
    this.id = randomBytes(64);
    const [nodeEnd, ours] = createMemoryCapabilityPair({ ...spec, idA: randomBytes(64), idB: this.id });
    this.stream = ours;
    this.nodeStream = extra.remoteAddress
      ? Object.assign(nodeEnd, { remoteAddress: extra.remoteAddress })
      : nodeEnd;
    void (async () => {
      for await (const m of ours.messages()) this.received.push(m);
    })();
    node.attach(this.nodeStream, protocol);
  }

  get closed(): boolean {
    return this.stream.closed;
  }

  get closeReason(): number | undefined {
    return this.stream.closeReason;
  }

  send(code: number, payload: Uint8Array): Promise<void> {
    return this.stream.send(code, payload);
  }

  /** Sends our Status (waku options by default: a full node with PoW 0). */
  async status(options: StatusOptions = { powRequirement: 0 }): Promise<void> {
    await this.send(WakuCode.Status, encodeStatusOptions(options));
    await settle();
  }

  async sendEnvelopes(envelopes: Envelope[]): Promise<void> {
    await this.send(WakuCode.Messages, encodeEnvelopeList(envelopes));
    await settle();
  }

  of(code: number): CapabilityMessage[] {
    return this.received.filter((m) => m.code === code);
  }
}
