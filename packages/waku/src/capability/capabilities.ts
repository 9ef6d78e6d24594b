import type { Capability, CapabilityStream } from '@status-ts/devp2p';
import type { WakuNode } from '../node/node.js';
import { WAKU_PROTOCOL, WHISPER_PROTOCOL } from '../wire/codes.js';

/** `waku/1` (128 codes) on the devp2p capability seam: each connected peer becomes a session of `node`. */
export class WakuCapability implements Capability {
  readonly name = WAKU_PROTOCOL.name;
  readonly version = WAKU_PROTOCOL.version;
  readonly length = WAKU_PROTOCOL.length;

  constructor(readonly node: WakuNode) {}

  attach(stream: CapabilityStream): void {
    this.node.attach(stream, 'waku');
  }
}

/** `shh/6` (128 codes): Whisper compatibility; with WakuCapability on one node it bridges the two (SHH-02). */
export class WhisperCapability implements Capability {
  readonly name = WHISPER_PROTOCOL.name;
  readonly version = WHISPER_PROTOCOL.version;
  readonly length = WHISPER_PROTOCOL.length;

  constructor(readonly node: WakuNode) {}

  attach(stream: CapabilityStream): void {
    this.node.attach(stream, 'shh');
  }
}
