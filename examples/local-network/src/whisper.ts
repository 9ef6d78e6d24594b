// The Whisper side of the network, on the raw layers: the client speaks Waku only, and Status nodes that
// still run Whisper (shh/6) are reached through a bridge that speaks both and relays between them (SHH-02).
import { publicMessageWrapper } from '@status-ts/client';
import { bytesToHex } from '@status-ts/core';
import { generatePrivateKey } from '@status-ts/crypto';
import { Server } from '@status-ts/devp2p';
import { messageIdToHex, publicChatId, unwrapChatMessage } from '@status-ts/payloads';
import { publicChat, WakuNode, type WireProtocolName } from '@status-ts/waku';
import type { Cast, MemberRole } from './cast.js';
import { LOOPBACK_RATE_LIMITS } from './network.js';
import { waitFor } from './wait.js';

/** A public chat message as the Whisper-only node read it. */
export interface LegacyRead {
  readonly id: string;
  /** `0x04…` key of the author, from the message's signature. */
  readonly author: string;
  readonly text: string;
  readonly clock: number;
}

export interface WhisperSide {
  /** What the Whisper-only node read from the public chat. */
  readonly read: readonly LegacyRead[];
  stop(): Promise<void>;
}

interface RawNode {
  readonly waku: WakuNode;
  readonly server: Server;
  stop(): Promise<void>;
}

/**
 * A bridge (waku/1 + shh/6) linked to `relayerEnode`, and a legacy node (shh/6 only) linked to the bridge,
 * which reads public chat `chat` as a Whisper-era Status app would. `onRead` reports each message it reads.
 */
export async function startWhisperSide(
  cast: Cast,
  relayerEnode: string,
  chat: string,
  options: { timeoutMs: number; onRead: (read: LegacyRead) => void },
): Promise<WhisperSide> {
  const bridge = await startRawNode(cast, 'bridge', 'bridge', ['waku', 'shh'], relayerEnode);
  let legacy: RawNode;
  try {
    legacy = await startRawNode(cast, 'legacy-whisper', 'whisper-only', ['shh'], bridge.server.enode);
  } catch (error) {
    await bridge.stop();
    throw error;
  }
  const stop = async () => {
    await legacy.stop();
    await bridge.stop();
  };
  try {
    await waitFor(
      () => bridge.waku.peers.length === 2 && legacy.waku.peers.length === 1,
      'the bridge linked to a relayer and to the Whisper node',
      options.timeoutMs,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  const read: LegacyRead[] = [];
  const { topic, symKey } = publicChat(publicChatId(chat));
  legacy.waku.subscribe({ topics: [topic], symKey }).on('message', (received) => {
    try {
      // The payload as any Status app reads it: a secure-transport public message (or a bare wrapper)
      // holding a signed ChatMessage, checked against the envelope's time.
      const { wrapper, message } = unwrapChatMessage(publicMessageWrapper(received.payload), {
        envelopeTimeMs: received.sent * 1000,
      });
      const entry = {
        id: messageIdToHex(wrapper.id),
        author: `0x${bytesToHex(wrapper.author!)}`,
        text: message.text,
        clock: message.clock,
      };
      read.push(entry);
      options.onRead(entry);
    } catch {
      // Not a Status chat message: a Whisper app shows nothing.
    }
  });
  return { read, stop };
}
async function startRawNode(
  cast: Cast,
  label: string,
  role: MemberRole,
  protocols: WireProtocolName[],
  staticPeer: string,
): Promise<RawNode> {
  const privateKey = generatePrivateKey();
  const waku = new WakuNode({ protocols, rateLimits: LOOPBACK_RATE_LIMITS });
  // A static peer: dialed at start and again whenever the link drops.
  const server = new Server({
    privateKey,
    host: '127.0.0.1',
    port: 0,
    clientId: `status-ts/demo/${label}`,
    capabilities: waku.capabilities,
    staticPeers: [staticPeer],
  });
  await waku.start();
  await server.start();
  cast.add({ label, role, nodeId: bytesToHex(server.id), waku });
  return {
    waku,
    server,
    async stop() {
      await server.stop();
      await waku.stop();
    },
  };
}
