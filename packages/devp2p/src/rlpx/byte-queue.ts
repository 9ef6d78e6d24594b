/**
 * Bytes received from a socket, kept as the chunks they arrived in. Reading `n` bytes returns a view
 * into the first chunk when it holds them (no copy) and copies only across chunk borders, so a stream
 * is parsed in linear time however it is split.
 */
export class ByteQueue {
  #chunks: Uint8Array[] = [];
  #head = 0; // index of the first unread chunk
  #offset = 0; // read position inside chunks[head]
  #length = 0;

  get length(): number {
    return this.#length;
  }

  /** Chunks still referenced, unread or consumed but not dropped yet: shows that consumed input is released. */
  get retainedChunks(): number {
    return this.#chunks.length;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#length += chunk.length;
  }

  /** The first byte, or -1 when empty. */
  peekByte(index = 0): number {
    if (index >= this.#length) return -1;
    let i = this.#head;
    let at = this.#offset + index;
    while (at >= this.#chunks[i]!.length) {
      at -= this.#chunks[i]!.length;
      i++;
    }
    return this.#chunks[i]![at]!;
  }

  /** The next `n` bytes (n <= length) without consuming them. A view when possible, else a copy. */
  peek(n: number): Uint8Array {
    const first = this.#chunks[this.#head]!;
    if (first.length - this.#offset >= n) return first.subarray(this.#offset, this.#offset + n);
    const out = new Uint8Array(n);
    let written = 0;
    let i = this.#head;
    let offset = this.#offset;
    while (written < n) {
      const chunk = this.#chunks[i]!;
      const take = Math.min(chunk.length - offset, n - written);
      out.set(chunk.subarray(offset, offset + take), written);
      written += take;
      i++;
      offset = 0;
    }
    return out;
  }

  /** Drops the next `n` bytes (n <= length). */
  skip(n: number): void {
    this.#length -= n;
    while (n > 0) {
      const chunk = this.#chunks[this.#head]!;
      const available = chunk.length - this.#offset;
      if (n < available) {
        this.#offset += n;
        return;
      }
      n -= available;
      this.#head++;
      this.#offset = 0;
    }
    if (this.#head > 32 && this.#head * 2 > this.#chunks.length) {
      this.#chunks = this.#chunks.slice(this.#head);
      this.#head = 0;
    }
    if (this.#head === this.#chunks.length) {
      this.#chunks.length = 0;
      this.#head = 0;
    }
  }

  /** The next `n` bytes, consumed. */
  read(n: number): Uint8Array {
    const out = this.peek(n);
    this.skip(n);
    return out;
  }

  clear(): void {
    this.#chunks = [];
    this.#head = 0;
    this.#offset = 0;
    this.#length = 0;
  }
}
