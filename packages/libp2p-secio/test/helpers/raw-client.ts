import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { ByteReader } from '../../src/byte-reader.js';
import { SECIO_PROTOCOL } from '../../src/constants.js';

/** A bare TCP client that negotiates /secio/1.0.0 with multistream-select and then writes whatever a test wants. */
export interface RawClient {
  readonly socket: Socket;
  readonly reader: ByteReader;
  write(bytes: Uint8Array): void;
  /** Resolves when the server has closed the socket. */
  readonly closed: Promise<void>;
}

function multistreamMessage(text: string): Uint8Array {
  const body = new TextEncoder().encode(`${text}\n`);
  return Uint8Array.of(body.length, ...body); // every message here is shorter than 128 bytes: 1-byte varint
}

export async function openRawSecio(address: string): Promise<RawClient> {
  const port = Number(/\/tcp\/(\d+)/.exec(address)![1]);
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await once(socket, 'connect');
  const reader = new ByteReader(socket);
  const write = (bytes: Uint8Array) => {
    if (!socket.destroyed) socket.write(bytes);
  };
  write(multistreamMessage('/multistream/1.0.0'));
  write(multistreamMessage(SECIO_PROTOCOL));
  for (const expected of ['/multistream/1.0.0', SECIO_PROTOCOL]) {
    const [length] = await reader.read(1, 'multistream length');
    const text = new TextDecoder().decode(await reader.read(length!, 'multistream message'));
    if (text !== `${expected}\n`) throw new Error(`multistream: expected ${expected}, got ${text}`);
  }
  return { socket, reader, write, closed };
}
