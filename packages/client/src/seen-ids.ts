/**
 * The ids (envelope hashes, message ids) seen recently, at most `limit` of them, oldest forgotten first:
 * dedup for the receive path, bounded so a flood cannot grow it without end. The message store is the
 * durable record; this catches the copies that arrive together (relays, history overlapping live traffic).
 */
export class SeenIds {
  readonly #ids = new Set<string>();

  constructor(readonly limit: number) {}

  /** Records `id`; false when it was already there. */
  add(id: string): boolean {
    if (this.#ids.has(id)) return false;
    this.#ids.add(id);
    if (this.#ids.size > this.limit) this.#ids.delete(this.#ids.values().next().value!);
    return true;
  }

  has(id: string): boolean {
    return this.#ids.has(id);
  }
}
