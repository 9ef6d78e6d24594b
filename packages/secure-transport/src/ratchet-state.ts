import { equalBytes } from '@status-ts/core';
import { getPublicKey } from '@status-ts/crypto';
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

/**
 * The whole Double Ratchet state of one session except its stored message keys, as plain immutable values:
 * every step returns a new state, so a caller commits it (to memory or a `SessionStore`) only once the
 * message authenticated. Secrets: `rootKey`, `dhsPrivate`, `sendKey`, `recvKey`.
 */
export interface RatchetState {
  readonly rootKey: Uint8Array;
  /** Our current ratchet key pair; the public half (33 bytes) is kept so it is never recomputed. */
  readonly dhsPrivate: Uint8Array;
  readonly dhsPublic: Uint8Array;
  /** Their current ratchet public key; undefined until the responder receives a first message. */
  readonly dhr: Uint8Array | undefined;
  readonly sendKey: Uint8Array;
  readonly sendN: number;
  readonly recvKey: Uint8Array;
  readonly recvN: number;
  /** Length of our previous sending chain (the `pn` of our headers). */
  readonly pn: number;
  /** Message keys derived so far (status-doubleratchet `KeysCount`): orders stored keys for the limits. */
  readonly keysCount: number;
}

/** The limits of one session (status-go encryptor values by default). */
export interface RatchetLimits {
  readonly maxSkip: number;
  readonly maxKeep: number;
  readonly maxMessageKeys: number;
}

/** A message key kept for later: skipped, or used and not yet confirmed. */
export interface DerivedMessageKey {
  /** The sender's ratchet public key of the chain it belongs to. */
  readonly dh: Uint8Array;
  readonly n: number;
  readonly messageKey: Uint8Array;
  /** Order of derivation (the state's `keysCount` at the time). */
  readonly seq: number;
}

/** One encrypted Double Ratchet message: the header travels in `DRHeader`, the ciphertext as payload. */
export interface RatchetMessage {
  readonly header: RatchetHeader;
  readonly ciphertext: Uint8Array;
}

/** What a receive step produced: the next state and every key derived on the way (the message's last). */
export interface ReceiveStep {
  readonly state: RatchetState;
  readonly messageKey: Uint8Array;
  readonly keys: readonly DerivedMessageKey[];
}

const EMPTY = new Uint8Array(0);

/** The X3DH initiator (doubleratchet `NewWithRemoteKey`): a fresh ratchet key and one root step. */
export function initiatorState(
  sharedKey: Uint8Array,
  theirRatchetKey: Uint8Array,
  ourRatchetKey: Uint8Array,
): RatchetState {
  const step = kdfRk(sharedKey, sharedX(ourRatchetKey, theirRatchetKey, 'ratchet key'));
  return {
    rootKey: step.rootKey,
    dhsPrivate: ourRatchetKey,
    dhsPublic: getPublicKey(ourRatchetKey, 'compressed'),
    dhr: theirRatchetKey.slice(),
    sendKey: step.chainKey,
    sendN: 0,
    recvKey: sharedKey.slice(),
    recvN: 0,
    pn: 0,
    keysCount: 0,
  };
}

/** The X3DH responder (doubleratchet `New`): our signed prekey is the first ratchet key. */
export function responderState(
  sharedKey: Uint8Array,
  ourSignedPreKey: Uint8Array,
  ourSignedPreKeyPublic: Uint8Array = getPublicKey(ourSignedPreKey, 'compressed'),
): RatchetState {
  return {
    rootKey: sharedKey.slice(),
    dhsPrivate: ourSignedPreKey.slice(),
    dhsPublic: ourSignedPreKeyPublic.slice(),
    dhr: undefined,
    sendKey: sharedKey.slice(),
    sendN: 0,
    recvKey: sharedKey.slice(),
    recvN: 0,
    pn: 0,
    keysCount: 0,
  };
}

/** The MAC's associated data: caller data, then N || PN || sender ratchet key. */
export function ratchetAd(ad: Uint8Array, header: RatchetHeader): Uint8Array {
  const encoded = encodeRatchetHeader(header);
  const out = new Uint8Array(ad.length + encoded.length);
  out.set(ad, 0);
  out.set(encoded, ad.length);
  return out;
}

/** One symmetric step of the sending chain. */
export function sendStep(
  state: RatchetState,
  plaintext: Uint8Array,
  ad: Uint8Array = EMPTY,
): { message: RatchetMessage; state: RatchetState } {
  const header: RatchetHeader = { dh: state.dhsPublic, n: state.sendN, pn: state.pn };
  const { chainKey, messageKey } = kdfCk(state.sendKey);
  const ciphertext = sealWithMessageKey(messageKey, plaintext, ratchetAd(ad, header));
  return { message: { header, ciphertext }, state: { ...state, sendKey: chainKey, sendN: state.sendN + 1 } };
}

/**
 * The receiving side of a message whose key is not stored: a DH ratchet step when the header carries a new
 * ratchet key (skipping the rest of the old chain up to `pn`), then skipping to `n`. Pure: nothing is
 * committed, so a caller that fails to authenticate the message simply drops the result.
 */
export function receiveStep(
  state: RatchetState,
  header: RatchetHeader,
  limits: RatchetLimits,
  generateKey: () => Uint8Array,
): ReceiveStep {
  const keys: DerivedMessageKey[] = [];
  let s = state;
  if (s.dhr === undefined || !equalBytes(header.dh, s.dhr)) {
    s = skip(s, s.dhr ?? EMPTY, header.pn, limits, keys);
    s = dhRatchet(s, header.dh, generateKey);
  }
  s = skip(s, s.dhr!, header.n, limits, keys);
  const { chainKey, messageKey } = kdfCk(s.recvKey);
  keys.push({ dh: s.dhr!, n: header.n, messageKey, seq: s.keysCount });
  return {
    state: { ...s, recvKey: chainKey, recvN: s.recvN + 1, keysCount: s.keysCount + 1 },
    messageKey,
    keys,
  };
}

/** Opens a ratchet message with a known message key; typed errors only. */
export function openRatchetMessage(
  messageKey: Uint8Array,
  message: RatchetMessage,
  ad: Uint8Array = EMPTY,
): Uint8Array {
  return openWithMessageKey(messageKey, message.ciphertext, ratchetAd(ad, message.header));
}

/**
 * Which stored keys the limits remove after a step (status-doubleratchet `applyChanges`): keep only the
 * newest `keepNewest` by seq, and delete every key with seq <= `dropUpToSeq` (-1: none).
 */
export function pruneBounds(
  state: RatchetState,
  limits: RatchetLimits,
): { dropUpToSeq: number; keepNewest: number } {
  return {
    dropUpToSeq: state.keysCount >= limits.maxKeep ? state.keysCount - limits.maxKeep : -1,
    keepNewest: limits.maxMessageKeys,
  };
}

function skip(
  s: RatchetState,
  dh: Uint8Array,
  until: number,
  limits: RatchetLimits,
  out: DerivedMessageKey[],
): RatchetState {
  if (until < s.recvN) {
    throw new SecureTransportError(
      SecureTransportErrorCode.MessageKeyGone,
      'message key no longer stored: an old message already confirmed or dropped',
      { details: { n: until, chainLength: s.recvN } },
    );
  }
  if (until - s.recvN > limits.maxSkip) {
    throw new SecureTransportError(
      SecureTransportErrorCode.TooManySkipped,
      `message would skip ${until - s.recvN} keys, limit ${limits.maxSkip}`,
      { details: { skip: until - s.recvN, limit: limits.maxSkip } },
    );
  }
  let key = s.recvKey;
  let n = s.recvN;
  let seq = s.keysCount;
  while (n < until) {
    const step = kdfCk(key);
    out.push({ dh, n, messageKey: step.messageKey, seq });
    seq++;
    key = step.chainKey;
    n++;
  }
  return { ...s, recvKey: key, recvN: n, keysCount: seq };
}

function dhRatchet(s: RatchetState, theirKey: Uint8Array, generateKey: () => Uint8Array): RatchetState {
  // The remote key is validated by the first DH (sharedX throws ERR_ST_BAD_KEY) before anything else.
  const recvStep = kdfRk(s.rootKey, sharedX(s.dhsPrivate, theirKey, 'ratchet key'));
  const dhsPrivate = generateKey();
  // Stryker disable next-line StringLiteral: theirKey passed the DH above and dhsPrivate is a fresh valid key, so this cannot throw and its label is never shown
  const sendStep = kdfRk(recvStep.rootKey, sharedX(dhsPrivate, theirKey, 'ratchet key'));
  return {
    rootKey: sendStep.rootKey,
    dhsPrivate,
    dhsPublic: getPublicKey(dhsPrivate, 'compressed'),
    dhr: theirKey.slice(),
    sendKey: sendStep.chainKey,
    sendN: 0,
    recvKey: recvStep.chainKey,
    recvN: 0,
    pn: s.sendN,
    keysCount: s.keysCount,
  };
}
