import { Common, Mainnet } from '@ethereumjs/common';
import { type Peer as EthPeer, RLPx } from '@ethereumjs/devp2p';
import snappyjs from 'snappyjs';

// @ethereumjs/devp2p as an independent peer. Its peers decompress incoming sub-protocol payloads when our
// Hello version is >= 5 but never compress outgoing ones, so this capability compresses its own payloads.

export interface EthMessage {
  code: number;
  payload: Uint8Array;
}

/** A sub-protocol instance on the ethereumjs side (one per peer). */
export class EthTestProtocol {
  static instances: EthTestProtocol[] = [];
  static onMessage: ((proto: EthTestProtocol, msg: EthMessage) => void) | undefined;
  readonly received: EthMessage[] = [];

  constructor(
    readonly version: number,
    readonly peer: EthPeer,
    readonly sendRaw: (code: number, data: Uint8Array) => unknown,
  ) {
    EthTestProtocol.instances.push(this);
  }

  /** True when payloads must be snappy-compressed (the remote Hello announced version >= 5). */
  get compress(): boolean {
    return (this.peer.getHelloMessage()?.protocolVersion ?? 0) >= 5;
  }

  send(code: number, payload: Uint8Array): void {
    this.sendRaw(code, this.compress ? snappyjs.compress(payload) : payload);
  }

  _handleMessage(code: number, payload: Uint8Array): void {
    const msg = { code, payload };
    this.received.push(msg);
    EthTestProtocol.onMessage?.(this, msg);
  }
}

export function ethCapability(name = 'test', version = 1, length = 8) {
  return { name, version, length, constructor: EthTestProtocol as never };
}

export function makeEthRlpx(
  privateKey: Uint8Array,
  options: { port?: number; name?: string; version?: number; length?: number; maxPeers?: number } = {},
): RLPx {
  return new RLPx(privateKey, {
    capabilities: [ethCapability(options.name, options.version, options.length)],
    common: new Common({ chain: Mainnet }),
    listenPort: options.port ?? null,
    maxPeers: options.maxPeers ?? 25,
    timeout: 10_000,
  });
}

/** Listens on 127.0.0.1 with a free port and resolves with it. */
export async function listenEth(rlpx: RLPx): Promise<number> {
  await new Promise<void>((resolve) => {
    rlpx.events.once('listening', () => resolve());
    rlpx.listen(0, '127.0.0.1');
  });
  const server = (rlpx as unknown as { _server: { address(): { port: number } } })._server;
  return server.address().port;
}

export function stopEth(rlpx: RLPx): void {
  try {
    rlpx.destroy();
  } catch {
    // already destroyed
  }
}
