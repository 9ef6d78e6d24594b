import { bytesToHex, hexToBytes } from '@status-ts/core';
import { generatePrivateKey, getPublicKey } from '@status-ts/crypto';
import { MAX_KEEP, MAX_MESSAGE_KEYS_PER_SESSION, MAX_SKIP } from './constants.js';
import { SecureTransportError, SecureTransportErrorCode } from './errors.js';
import type { RatchetHeader } from './ratchet-crypto.js';
import {
  initiatorState,
  openRatchetMessage,
  pruneBounds,
  type RatchetLimits,
  type RatchetMessage,
  type RatchetState,
  receiveStep,
  responderState,
  sendStep,
} from './ratchet-state.js';

export type { RatchetMessage } from './ratchet-state.js';

/** Limits of one session; each defaults to the status-go encryptor value of the same name. */
export interface RatchetOptions {
  /** Message keys one chain may skip (default `MAX_SKIP`). */
  readonly maxSkip?: number;
  /** Keys derived more than this many keys ago are deleted (default `MAX_KEEP`). */
  readonly maxKeep?: number;
  /** Most stored message keys; the oldest go first (default `MAX_MESSAGE_KEYS_PER_SESSION`). */
  readonly maxMessageKeys?: number;
  /** Source of new ratchet private keys (tests make it deterministic); default random. */
  readonly generateKey?: () => Uint8Array;
}

/** A ratchet key pair; the public half is the 33-byte compressed key sent in headers. */
export interface RatchetKeyPair {
  readonly privateKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

/**
 * Everything a session needs to continue after a restart, as JSON-safe values (hex strings). Contains
 * secrets (root, chain and message keys, our ratchet private key): store it encrypted at rest.
 */
export interface RatchetSessionSnapshot {
  readonly version: 1;
  readonly rootKey: string;
  readonly dhsPrivate: string;
  readonly dhr: string | null;
  readonly send: { readonly key: string; readonly n: number };
  readonly recv: { readonly key: string; readonly n: number };
  readonly pn: number;
  readonly keysCount: number;
  /** Stored message keys: `[ratchet key hex, n, message key hex, seq]`. */
  readonly keys: readonly (readonly [string, number, string, number])[];
}

interface StoredKey {
  readonly messageKey: Uint8Array;
  /** Order of derivation (status-doubleratchet `KeysCount`), used by the keep and count limits. */
  readonly seq: number;
}

const NO_AD = new Uint8Array(0);

function storedKeyId(dh: Uint8Array, n: number): string {
  return `${bytesToHex(dh)}:${n}`;
}

/** Resolves the options of one session to limits (each validated) and a key source. */
export function ratchetLimits(options: RatchetOptions = {}): RatchetLimits {
  return {
    maxSkip: limit(options.maxSkip, MAX_SKIP, 'maxSkip'),
    maxKeep: limit(options.maxKeep, MAX_KEEP, 'maxKeep'),
    maxMessageKeys: limit(options.maxMessageKeys, MAX_MESSAGE_KEYS_PER_SESSION, 'maxMessageKeys'),
  };
}

/**
 * The Double Ratchet as status-im/doubleratchet runs it with status-go's `EthereumCrypto`: secp256k1 ratchet
 * keys, both chains seeded with the shared key (so the responder can send first), a DH ratchet step on every
 * new remote key, skipped keys bounded by `maxSkip`. A decrypted message's key stays stored until
 * `confirm` (status-go deletes it only once the application processed the message), so a duplicate
 * decrypts again until then. A failed `decrypt` leaves the session exactly as it was.
 */
export class RatchetSession {
  readonly #limits: RatchetLimits;
  readonly #generateKey: () => Uint8Array;
  #state: RatchetState;
  readonly #keys = new Map<string, StoredKey>();

  private constructor(state: RatchetState, options: RatchetOptions) {
    this.#limits = ratchetLimits(options);
    this.#generateKey = options.generateKey ?? generatePrivateKey;
    this.#state = state;
  }

  /**
   * The X3DH initiator (doubleratchet `NewWithRemoteKey`): a fresh ratchet key, and a sending chain from
   * one root step with DH(fresh key, their signed prekey).
   */
  static initiator(
    sharedKey: Uint8Array,
    theirRatchetKey: Uint8Array,
    options: RatchetOptions = {},
  ): RatchetSession {
    assertSharedKey(sharedKey);
    const ours = (options.generateKey ?? generatePrivateKey)();
    return new RatchetSession(initiatorState(sharedKey, theirRatchetKey, ours), options);
  }

  /** The X3DH responder (doubleratchet `New`): our signed prekey is the first ratchet key. */
  static responder(
    sharedKey: Uint8Array,
    ourSignedPreKey: Uint8Array,
    options: RatchetOptions = {},
  ): RatchetSession {
    assertSharedKey(sharedKey);
    return new RatchetSession(responderState(sharedKey, ourSignedPreKey), options);
  }

  /** A copy of the whole state for persistence; `RatchetSession.restore` continues from it. */
  snapshot(): RatchetSessionSnapshot {
    const s = this.#state;
    return {
      version: 1,
      rootKey: bytesToHex(s.rootKey),
      dhsPrivate: bytesToHex(s.dhsPrivate),
      dhr: s.dhr ? bytesToHex(s.dhr) : null,
      send: { key: bytesToHex(s.sendKey), n: s.sendN },
      recv: { key: bytesToHex(s.recvKey), n: s.recvN },
      pn: s.pn,
      keysCount: s.keysCount,
      keys: [...this.#keys].map(([id, key]) => {
        const [dh, n] = id.split(':');
        return [dh!, Number(n), bytesToHex(key.messageKey), key.seq] as const;
      }),
    };
  }

  /** Rebuilds a session from `snapshot()`; malformed snapshots give ERR_ST_INVALID_ARGUMENT. */
  static restore(snapshot: RatchetSessionSnapshot, options: RatchetOptions = {}): RatchetSession {
    let session: RatchetSession;
    try {
      if (snapshot.version !== 1) throw new Error(`unknown snapshot version ${snapshot.version}`);
      const key32 = (hex: string) => {
        const bytes = hexToBytes(hex);
        if (bytes.length !== 32) throw new Error('key must be 32 bytes');
        return bytes;
      };
      const dhsPrivate = key32(snapshot.dhsPrivate);
      session = new RatchetSession(
        {
          rootKey: key32(snapshot.rootKey),
          dhsPrivate,
          dhsPublic: getPublicKey(dhsPrivate, 'compressed'),
          dhr: snapshot.dhr === null ? undefined : hexToBytes(snapshot.dhr),
          sendKey: key32(snapshot.send.key),
          sendN: counter(snapshot.send.n),
          recvKey: key32(snapshot.recv.key),
          recvN: counter(snapshot.recv.n),
          pn: counter(snapshot.pn),
          keysCount: counter(snapshot.keysCount),
        },
        options,
      );
      for (const [dh, n, mk, seq] of snapshot.keys) {
        session.#keys.set(storedKeyId(hexToBytes(dh), counter(n)), {
          messageKey: key32(mk),
          seq: counter(seq),
        });
      }
    } catch (cause) {
      if (cause instanceof SecureTransportError) throw cause;
      throw new SecureTransportError(SecureTransportErrorCode.InvalidArgument, 'malformed ratchet snapshot', {
        cause,
      });
    }
    return session;
  }

  /** Our current ratchet public key (33 bytes). */
  get ratchetPublicKey(): Uint8Array {
    return this.#state.dhsPublic.slice();
  }

  /** How many message keys are stored (skipped, or decrypted and not yet confirmed). */
  get storedKeyCount(): number {
    return this.#keys.size;
  }

  /** One symmetric step of the sending chain; `ad` is prepended to the header in the MAC input. */
  encrypt(plaintext: Uint8Array, ad: Uint8Array = NO_AD): RatchetMessage {
    const { message, state } = sendStep(this.#state, plaintext, ad);
    this.#state = state;
    return message;
  }

  /** Decrypts a message; every failure throws a SecureTransportError and changes nothing. */
  decrypt(message: RatchetMessage, ad: Uint8Array = NO_AD): Uint8Array {
    const { header } = message;
    const stored = this.#keys.get(storedKeyId(header.dh, header.n));
    if (stored) return openRatchetMessage(stored.messageKey, message, ad);
    // receiveStep is pure: the new state replaces ours only once the message authenticated.
    const step = receiveStep(this.#state, header, this.#limits, this.#generateKey);
    const plaintext = openRatchetMessage(step.messageKey, message, ad);
    this.#state = step.state;
    for (const key of step.keys) {
      this.#keys.set(storedKeyId(key.dh, key.n), { messageKey: key.messageKey, seq: key.seq });
    }
    this.#applyLimits();
    return plaintext;
  }

  /** Forgets the key of a processed message (status-go `ConfirmMessageProcessed` -> `DeleteMk`). */
  confirm(header: Pick<RatchetHeader, 'dh' | 'n'>): void {
    this.#keys.delete(storedKeyId(header.dh, header.n));
  }

  #applyLimits(): void {
    const { dropUpToSeq, keepNewest } = pruneBounds(this.#state, this.#limits);
    // Stryker disable next-line EqualityOperator: at size === keepNewest the slice below deletes nothing
    if (this.#keys.size > keepNewest) {
      const bySeq = [...this.#keys].sort((a, b) => a[1].seq - b[1].seq);
      for (const [id] of bySeq.slice(0, bySeq.length - keepNewest)) this.#keys.delete(id);
    }
    // Stryker disable next-line ConditionalExpression: seqs are >= 0, so dropUpToSeq = -1 deletes nothing anyway
    if (dropUpToSeq >= 0) {
      for (const [id, key] of this.#keys) if (key.seq <= dropUpToSeq) this.#keys.delete(id);
    }
  }
}

function counter(value: number): number {
  if (!Number.isSafeInteger(value) || value < 0 || value > 0xffffffff) throw new Error('bad counter');
  return value;
}

function limit(value: number | undefined, fallback: number, name: string): number {
  const v = value ?? fallback;
  if (!Number.isSafeInteger(v) || v < 0) {
    throw new SecureTransportError(
      SecureTransportErrorCode.InvalidArgument,
      `${name} must be a non-negative integer`,
      { details: { option: name, value: v } },
    );
  }
  return v;
}

export function assertSharedKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length !== 32) {
    throw new SecureTransportError(SecureTransportErrorCode.InvalidArgument, 'shared key must be 32 bytes');
  }
}
