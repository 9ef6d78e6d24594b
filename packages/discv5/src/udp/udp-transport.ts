import type * as NodeDgram from 'node:dgram';
import { loadNodeBuiltin } from '@status-ts/core';
import { Discv5Error, Discv5ErrorCode } from '../errors.js';
import type { PacketHandler, PacketTransport, UdpEndpoint } from '../transport/types.js';

/**
 * `node:dgram`, loaded without an `import` statement so that bundles importing this entry (the client's
 * discovery does) carry no Node-only module; only opening a socket needs it.
 */
function nodeDgram(): typeof NodeDgram {
  const dgram = loadNodeBuiltin<typeof NodeDgram>('node:dgram', 'createSocket');
  if (!dgram) {
    throw new Discv5Error(Discv5ErrorCode.NoUdp, 'UDP needs node:dgram (Node >= 20.16, Bun or Deno)');
  }
  return dgram;
}

export interface UdpTransportOptions {
  /** Address to bind; default 0.0.0.0 (an address with ':' binds an IPv6 socket). */
  ip?: string;
  /** Port to bind; default 0 (any free port). */
  port?: number;
}

/**
 * A `PacketTransport` over a node:dgram socket, bound when the returned promise resolves. Give it to
 * `new Discv5Node({ transport })`, or give `() => createUdpTransport(options)` to bind at each `start()`.
 */
export async function createUdpTransport(options: UdpTransportOptions = {}): Promise<PacketTransport> {
  const ip = options.ip ?? '0.0.0.0';
  const socket = nodeDgram().createSocket({ type: ip.includes(':') ? 'udp6' : 'udp4' });
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    socket.once('error', onError);
    socket.bind(options.port ?? 0, ip, () => {
      socket.off('error', onError);
      resolve();
    });
  });
  // Send errors (unreachable hosts, full buffers) are part of UDP: count-free and silent here.
  socket.on('error', () => {});
  const address = socket.address();
  const localEndpoint: UdpEndpoint = { ip: address.address, port: address.port };
  let handler: PacketHandler | undefined;
  let closed = false;
  socket.on('message', (msg, rinfo) => {
    const from =
      rinfo.address.startsWith('::ffff:') && rinfo.address.includes('.')
        ? rinfo.address.slice(7)
        : rinfo.address;
    handler?.(new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength), { ip: from, port: rinfo.port });
  });
  return {
    localEndpoint,
    send(bytes, to) {
      if (closed) return;
      socket.send(bytes, to.port, to.ip, () => {});
    },
    onPacket(next) {
      handler = next;
    },
    close() {
      if (closed) return Promise.resolve();
      closed = true;
      handler = undefined;
      // The handle is released one loop turn after 'close'.
      return new Promise<void>((resolve) => socket.close(() => setImmediate(resolve)));
    },
  };
}
