import type { MvdsMessage } from '../message.js';
import { byteKey } from './keys.js';
import type {
  DeliveredStore,
  GroupStore,
  MessageStore,
  MvdsStores,
  RecordKey,
  SyncRecord,
  SyncStateChanges,
  SyncStateStore,
} from './types.js';

// In-memory stores keep private copies of every byte array they are given or hand out, so callers can
// reuse their buffers and the stores behave exactly like the persistent ones.

function copyMessage(m: MvdsMessage): MvdsMessage {
  return { groupId: m.groupId.slice(), timestamp: m.timestamp, body: m.body.slice() };
}

function copyRecord(r: SyncRecord): SyncRecord {
  return { ...r, peer: r.peer.slice(), messageId: r.messageId.slice(), groupId: r.groupId?.slice() };
}

function recordKey(peer: Uint8Array, messageId: Uint8Array): string {
  // Message ids are always 32 bytes, so the peer part is what precedes the last 32 code units.
  return byteKey(peer) + byteKey(messageId);
}

export class MemoryMessageStore implements MessageStore {
  readonly #messages = new Map<string, MvdsMessage>();

  async put(id: Uint8Array, message: MvdsMessage): Promise<void> {
    const key = byteKey(id);
    if (!this.#messages.has(key)) this.#messages.set(key, copyMessage(message));
  }

  async get(id: Uint8Array): Promise<MvdsMessage | undefined> {
    const m = this.#messages.get(byteKey(id));
    return m && copyMessage(m);
  }

  async has(id: Uint8Array): Promise<boolean> {
    return this.#messages.has(byteKey(id));
  }

  async delete(ids: readonly Uint8Array[]): Promise<void> {
    for (const id of ids) this.#messages.delete(byteKey(id));
  }

  async size(): Promise<number> {
    return this.#messages.size;
  }
}

export class MemorySyncStateStore implements SyncStateStore {
  readonly #records = new Map<string, SyncRecord>();
  /** Record keys per message id, so `countForMessage` does not scan. */
  readonly #byMessage = new Map<string, Set<string>>();
  #epoch = 0;

  async get(peer: Uint8Array, messageId: Uint8Array): Promise<SyncRecord | undefined> {
    const r = this.#records.get(recordKey(peer, messageId));
    return r && copyRecord(r);
  }

  async apply(changes: SyncStateChanges): Promise<void> {
    for (const k of changes.remove ?? []) this.#remove(k);
    for (const r of changes.put ?? []) {
      const key = recordKey(r.peer, r.messageId);
      this.#records.set(key, copyRecord(r));
      const idKey = byteKey(r.messageId);
      let keys = this.#byMessage.get(idKey);
      if (!keys) {
        keys = new Set();
        this.#byMessage.set(idKey, keys);
      }
      keys.add(key);
    }
    if (changes.epoch !== undefined) this.#epoch = changes.epoch;
  }

  #remove({ peer, messageId }: RecordKey): void {
    const key = recordKey(peer, messageId);
    if (!this.#records.delete(key)) return;
    const idKey = byteKey(messageId);
    const keys = this.#byMessage.get(idKey);
    keys?.delete(key);
    if (keys?.size === 0) this.#byMessage.delete(idKey);
  }

  async due(epoch: number, limit: number): Promise<SyncRecord[]> {
    const due: SyncRecord[] = [];
    for (const r of this.#records.values()) if (r.sendEpoch <= epoch) due.push(r);
    due.sort((a, b) => a.sendEpoch - b.sendEpoch);
    return due.slice(0, limit).map(copyRecord);
  }

  async forPeer(peer: Uint8Array): Promise<SyncRecord[]> {
    const peerKey = byteKey(peer);
    const out: SyncRecord[] = [];
    for (const [key, r] of this.#records) {
      if (key.length === peerKey.length + r.messageId.length && key.startsWith(peerKey))
        out.push(copyRecord(r));
    }
    return out;
  }

  async countForMessage(messageId: Uint8Array): Promise<number> {
    return this.#byMessage.get(byteKey(messageId))?.size ?? 0;
  }

  async size(): Promise<number> {
    return this.#records.size;
  }

  async loadEpoch(): Promise<number> {
    return this.#epoch;
  }
}

export class MemoryDeliveredStore implements DeliveredStore {
  readonly #ids = new Set<string>();

  async add(ids: readonly Uint8Array[]): Promise<boolean[]> {
    return ids.map((id) => {
      const key = byteKey(id);
      if (this.#ids.has(key)) return false;
      this.#ids.add(key);
      return true;
    });
  }

  async has(id: Uint8Array): Promise<boolean> {
    return this.#ids.has(byteKey(id));
  }

  async size(): Promise<number> {
    return this.#ids.size;
  }
}

export class MemoryGroupStore implements GroupStore {
  readonly #groups = new Map<string, Map<string, Uint8Array>>();

  async add(groupId: Uint8Array, peer: Uint8Array): Promise<void> {
    const key = byteKey(groupId);
    let peers = this.#groups.get(key);
    if (!peers) {
      peers = new Map();
      this.#groups.set(key, peers);
    }
    const peerKey = byteKey(peer);
    if (!peers.has(peerKey)) peers.set(peerKey, peer.slice());
  }

  async remove(groupId: Uint8Array, peer: Uint8Array): Promise<void> {
    const key = byteKey(groupId);
    const peers = this.#groups.get(key);
    peers?.delete(byteKey(peer));
    if (peers?.size === 0) this.#groups.delete(key);
  }

  async peers(groupId: Uint8Array): Promise<Uint8Array[]> {
    return [...(this.#groups.get(byteKey(groupId))?.values() ?? [])].map((p) => p.slice());
  }

  async has(groupId: Uint8Array, peer: Uint8Array): Promise<boolean> {
    return this.#groups.get(byteKey(groupId))?.has(byteKey(peer)) ?? false;
  }
}

/** Fresh in-memory stores: state lives as long as the object (tests, ephemeral nodes). */
export function createMemoryStores(): MvdsStores {
  return {
    messages: new MemoryMessageStore(),
    syncState: new MemorySyncStateStore(),
    delivered: new MemoryDeliveredStore(),
    groups: new MemoryGroupStore(),
  };
}
