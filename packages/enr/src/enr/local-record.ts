import { type Clock, copyBytes, equalBytes, systemClock } from '@status-ts/core';
import { getPublicKey } from '@status-ts/crypto';
import { EnrError, EnrErrorCode } from '../errors.js';
import type { RlpItem } from '../rlp/index.js';
import { Enr, type EnrAddressFields, type EnrChanges } from './enr.js';

export interface LocalRecordOptions extends EnrAddressFields {
  privateKey: Uint8Array;
  entries?: Record<string, RlpItem>;
  /**
   * First seq. Default: the clock's milliseconds since the epoch, as go-ethereum's LocalNode does, so a node
   * that restarts without saved state still publishes a higher seq than before.
   */
  seq?: number | bigint;
  clock?: Clock;
  maxSize?: number;
}

/**
 * The node's own record (checklist ENR-08): holds the node key and re-signs with a higher seq whenever an
 * address, port or entry actually changes; updates that change nothing keep the current record.
 */
export class LocalRecord {
  readonly #privateKey: Uint8Array;
  readonly #maxSize: number | undefined;
  #enr: Enr;

  constructor(options: LocalRecordOptions) {
    const { privateKey, clock = systemClock, seq, ...fields } = options;
    this.#privateKey = copyBytes(privateKey);
    this.#maxSize = options.maxSize;
    this.#enr = Enr.create({
      ...fields,
      privateKey,
      seq: seq ?? BigInt(Math.max(1, Math.floor(clock.now()))),
    });
  }

  /** Continues from a saved record of the same key, so seq keeps increasing across restarts. */
  static restore(privateKey: Uint8Array, saved: Enr | string | Uint8Array, maxSize?: number): LocalRecord {
    const enr =
      saved instanceof Enr
        ? saved
        : typeof saved === 'string'
          ? Enr.decodeText(saved, { maxSize })
          : Enr.decode(saved, { maxSize });
    if (!equalBytes(getPublicKey(privateKey, 'compressed'), enr.publicKey)) {
      throw new EnrError(EnrErrorCode.KeyMismatch, 'saved record belongs to another key');
    }
    const local = new LocalRecord({ privateKey, seq: enr.seq, maxSize });
    local.#enr = enr;
    return local;
  }

  /** The current signed record. */
  get enr(): Enr {
    return this.#enr;
  }

  get seq(): bigint {
    return this.#enr.seq;
  }

  /**
   * Applies `changes` (null removes a key). Returns true and bumps seq when the content changed; returns false
   * and keeps the record when it did not.
   */
  update(changes: Omit<EnrChanges, 'seq' | 'maxSize'>): boolean {
    if (!this.#enr.wouldChange(changes)) return false;
    this.#enr = this.#enr.with(this.#privateKey, { ...changes, maxSize: this.#maxSize });
    return true;
  }
}
