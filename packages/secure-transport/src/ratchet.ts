import { bytesToHex, equalBytes, hexToBytes } from '@status-ts/core';
import { generatePrivateKey, getPublicKey } from '@status-ts/crypto';
import { MAX_KEEP, MAX_MESSAGE_KEYS_PER_SESSION, MAX_SKIP } from './constants.js';
import { SecureTransportError, SecureTransportErrorCode } from './errors.js';
import { sharedX } from './keys.js';
import {
  encodeRatchetHeader,
  kdfCk,
  kdfRk,
  openWithMessageKey,
  type RatchetHeader,
  sealWithMessageKey,
} from './ratchet-crypto.js';

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

/** One encrypted Double Ratchet message: the header travels in `DRHeader`, the ciphertext as payload. */
export interface RatchetMessage {
  readonly header: RatchetHeader;
  readonly ciphertext: Uint8Array;
}

interface Chain {
  key: Uint8Array;
  n: number;
}

interface StoredKey {
  readonly messageKey: Uint8Array;
  /** Order of derivation (status-doubleratchet `KeysCount`), used by the keep and count limits. */
  readonly seq: number;
}

interface State {
  rootKey: Uint8Array;
  dhs: RatchetKeyPair;
  dhr: Uint8Array | undefined;
  send: Chain;
  recv: Chain;
  pn: number;
  keysCount: number;
}

interface NewKey {
  readonly id: string;
  readonly key: StoredKey;
}

const NO_KEY = new Uint8Array(0);

function keyPairFrom(privateKey: Uint8Array): RatchetKeyPair {
  return { privateKey, publicKey: getPublicKey(privateKey, 'compressed') };
}

function storedKeyId(dh: Uint8Array, n: number): string {
  return `${bytesToHex(dh)}:${n}`;
}

/**
 * The Double Ratchet as status-im/doubleratchet runs it with status-go's `EthereumCrypto`: secp256k1 ratchet
 * keys, both chains seeded with the shared key (so the responder can send first), a DH ratchet step on every
 * new remote key, skipped keys bounded by `maxSkip`. A decrypted message's key stays stored until
 * `confirm` (status-go deletes it only once the application processed the message), so a duplicate
 * decrypts again until then. A failed `decrypt` leaves the session exactly as it was.
 */
export class RatchetSession {
  readonly #maxSkip: number;
  readonly #maxKeep: number;
  readonly #maxMessageKeys: number;
  readonly #generateKey: () => Uint8Array;
  #state: State;
  readonly #keys = new Map<string, StoredKey>();

  private constructor(state: State, options: RatchetOptions) {
    this.#maxSkip = limit(options.maxSkip, MAX_SKIP, 'maxSkip');
    this.#maxKeep = limit(options.maxKeep, MAX_KEEP, 'maxKeep');
    this.#maxMessageKeys = limit(options.maxMessageKeys, MAX_MESSAGE_KEYS_PER_SESSION, 'maxMessageKeys');
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
    const dhs = keyPairFrom((options.generateKey ?? generatePrivateKey)());
    const step = kdfRk(sharedKey, sharedX(dhs.privateKey, theirRatchetKey, 'ratchet key'));
    return new RatchetSession(
      {
        rootKey: step.rootKey,
        dhs,
        dhr: theirRatchetKey.slice(),
        send: { key: step.chainKey, n: 0 },
        recv: { key: sharedKey.slice(), n: 0 },
        pn: 0,
        keysCount: 0,
      },
      options,
    );
  }

  /** The X3DH responder (doubleratchet `New`): our signed prekey is the first ratchet key. */
  static responder(
    sharedKey: Uint8Array,
    ourSignedPreKey: Uint8Array,
    options: RatchetOptions = {},
  ): RatchetSession {
    assertSharedKey(sharedKey);
    return new RatchetSession(
      {
        rootKey: sharedKey.slice(),
        dhs: keyPairFrom(ourSignedPreKey),
        dhr: undefined,
        send: { key: sharedKey.slice(), n: 0 },
        recv: { key: sharedKey.slice(), n: 0 },
        pn: 0,
        keysCount: 0,
      },
      options,
    );
  }

  /** A copy of the whole state for persistence; `RatchetSession.restore` continues from it. */
  snapshot(): RatchetSessionSnapshot {
    const s = this.#state;
    return {
      version: 1,
      rootKey: bytesToHex(s.rootKey),
      dhsPrivate: bytesToHex(s.dhs.privateKey),
      dhr: s.dhr ? bytesToHex(s.dhr) : null,
      send: { key: bytesToHex(s.send.key), n: s.send.n },
      recv: { key: bytesToHex(s.recv.key), n: s.recv.n },
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
      session = new RatchetSession(
        {
          rootKey: key32(snapshot.rootKey),
          dhs: keyPairFrom(key32(snapshot.dhsPrivate)),
          dhr: snapshot.dhr === null ? undefined : hexToBytes(snapshot.dhr),
          send: { key: key32(snapshot.send.key), n: counter(snapshot.send.n) },
          recv: { key: key32(snapshot.recv.key), n: counter(snapshot.recv.n) },
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
    return this.#state.dhs.publicKey.slice();
  }

  /** How many message keys are stored (skipped, or decrypted and not yet confirmed). */
  get storedKeyCount(): number {
    return this.#keys.size;
  }

  /** One symmetric step of the sending chain; `ad` is prepended to the header in the MAC input. */
  encrypt(plaintext: Uint8Array, ad: Uint8Array = NO_KEY): RatchetMessage {
    const s = this.#state;
    const header: RatchetHeader = { dh: s.dhs.publicKey.slice(), n: s.send.n, pn: s.pn };
    const { chainKey, messageKey } = kdfCk(s.send.key);
    const ciphertext = sealWithMessageKey(messageKey, plaintext, concat(ad, encodeRatchetHeader(header)));
    s.send = { key: chainKey, n: s.send.n + 1 };
    return { header, ciphertext };
  }

  /** Decrypts a message; every failure throws a SecureTransportError and changes nothing. */
  decrypt(message: RatchetMessage, ad: Uint8Array = NO_KEY): Uint8Array {
    const { header } = message;
    const adWithHeader = concat(ad, encodeRatchetHeader(header));
    const stored = this.#keys.get(storedKeyId(header.dh, header.n));
    if (stored) return openWithMessageKey(stored.messageKey, message.ciphertext, adWithHeader);

    // Work on a copy; it replaces the state only once the message authenticated.
    const s: State = { ...this.#state, send: { ...this.#state.send }, recv: { ...this.#state.recv } };
    const fresh: NewKey[] = [];
    if (s.dhr === undefined || !equalBytes(header.dh, s.dhr)) {
      this.#skip(s, s.dhr ?? NO_KEY, header.pn, fresh);
      this.#dhRatchet(s, header.dh);
    }
    this.#skip(s, s.dhr!, header.n, fresh);
    const { chainKey, messageKey } = kdfCk(s.recv.key);
    const plaintext = openWithMessageKey(messageKey, message.ciphertext, adWithHeader);
    s.recv = { key: chainKey, n: s.recv.n + 1 };
    fresh.push({ id: storedKeyId(s.dhr!, header.n), key: { messageKey, seq: s.keysCount } });
    s.keysCount++;

    this.#state = s;
    for (const { id, key } of fresh) this.#keys.set(id, key);
    this.#applyLimits();
    return plaintext;
  }

  /** Forgets the key of a processed message (status-go `ConfirmMessageProcessed` -> `DeleteMk`). */
  confirm(header: Pick<RatchetHeader, 'dh' | 'n'>): void {
    this.#keys.delete(storedKeyId(header.dh, header.n));
  }

  #skip(s: State, dh: Uint8Array, until: number, out: NewKey[]): void {
    if (until < s.recv.n) {
      throw new SecureTransportError(
        SecureTransportErrorCode.MessageKeyGone,
        'message key no longer stored: an old message already confirmed or dropped',
        { details: { n: until, chainLength: s.recv.n } },
      );
    }
    if (until - s.recv.n > this.#maxSkip) {
      throw new SecureTransportError(
        SecureTransportErrorCode.TooManySkipped,
        `message would skip ${until - s.recv.n} keys, limit ${this.#maxSkip}`,
        { details: { skip: until - s.recv.n, limit: this.#maxSkip } },
      );
    }
    let { key, n } = s.recv;
    while (n < until) {
      const step = kdfCk(key);
      out.push({ id: storedKeyId(dh, n), key: { messageKey: step.messageKey, seq: s.keysCount } });
      s.keysCount++;
      key = step.chainKey;
      n++;
    }
    s.recv = { key, n };
  }

  #dhRatchet(s: State, theirKey: Uint8Array): void {
    // Validate the remote key before touching anything (sharedX throws ERR_ST_BAD_KEY).
    const recvStep = kdfRk(s.rootKey, sharedX(s.dhs.privateKey, theirKey, 'ratchet key'));
    const dhs = keyPairFrom(this.#generateKey());
    const sendStep = kdfRk(recvStep.rootKey, sharedX(dhs.privateKey, theirKey, 'ratchet key'));
    s.pn = s.send.n;
    s.dhr = theirKey.slice();
    s.recv = { key: recvStep.chainKey, n: 0 };
    s.dhs = dhs;
    s.send = { key: sendStep.chainKey, n: 0 };
    s.rootKey = sendStep.rootKey;
  }

  // status-doubleratchet applyChanges: truncate to maxMessageKeys, then drop seq <= keysCount - maxKeep.
  #applyLimits(): void {
    if (this.#keys.size > this.#maxMessageKeys) {
      const bySeq = [...this.#keys].sort((a, b) => a[1].seq - b[1].seq);
      for (const [id] of bySeq.slice(0, bySeq.length - this.#maxMessageKeys)) this.#keys.delete(id);
    }
    const keysCount = this.#state.keysCount;
    if (keysCount >= this.#maxKeep) {
      const oldest = keysCount - this.#maxKeep;
      for (const [id, key] of this.#keys) if (key.seq <= oldest) this.#keys.delete(id);
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
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
    );
  }
  return v;
}

function assertSharedKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length !== 32) {
    throw new SecureTransportError(SecureTransportErrorCode.InvalidArgument, 'shared key must be 32 bytes');
  }
}
