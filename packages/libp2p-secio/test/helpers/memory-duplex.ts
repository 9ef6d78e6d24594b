import { AsyncQueue, concatBytes } from '@status-ts/core';
import type { Uint8ArrayList } from 'uint8arraylist';

type Chunk = Uint8Array | Uint8ArrayList;

/** One in-memory libp2p-style duplex end: `source` yields what the other end's `sink` consumed. */
export interface MemoryDuplex {
  source: AsyncGenerator<Chunk>;
  sink: (source: AsyncIterable<Chunk> | Iterable<Chunk>) => Promise<void>;
}

function end(readFrom: AsyncQueue<Chunk>, writeTo: AsyncQueue<Chunk>): MemoryDuplex {
  return {
    source: readFrom.iterate(),
    sink: async (source) => {
      try {
        for await (const chunk of source) writeTo.push(chunk);
      } finally {
        writeTo.end();
      }
    },
  };
}

/** Two connected ends, like a socket pair. */
export function memoryDuplexPair(): [MemoryDuplex, MemoryDuplex] {
  const aToB = new AsyncQueue<Chunk>();
  const bToA = new AsyncQueue<Chunk>();
  return [end(bToA, aToB), end(aToB, bToA)];
}

/** Collects a source into one byte array. */
export async function collect(source: AsyncIterable<Chunk>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of source) parts.push(chunk instanceof Uint8Array ? chunk : chunk.subarray());
  return concatBytes(...parts);
}

export async function* fromChunks(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

/** Byte equality for large buffers (vitest's deep equality walks typed arrays element by element). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}
