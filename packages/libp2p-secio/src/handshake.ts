import { publicKeyFromProtobuf, publicKeyToProtobuf } from '@libp2p/crypto/keys';
import type { PeerId, PrivateKey, PublicKey } from '@libp2p/interface';
import { peerIdFromPublicKey } from '@libp2p/peer-id';
import { abortReason, concatBytes, constantTimeEqual, raceSignal } from '@status-ts/core';
import { randomBytes } from '@status-ts/crypto';
import { type ByteReader, lengthPrefixed } from './byte-reader.js';
import { type CipherName, type ExchangeName, type HashName, NONCE_LENGTH } from './constants.js';
import { createEphemeralKey } from './ecdh.js';
import { SecioError, SecioErrorCode } from './errors.js';
import { FrameOpener, FrameSealer, type Suite } from './frames.js';
import { stretchKeys } from './key-stretch.js';
import { decodeExchange, decodePropose, encodeExchange, encodePropose } from './protobuf.js';
import { handshakeOrder, selectBest, splitProposal } from './selection.js';

/** How the handshake talks to the wire: the shared reader, and a writer that queues bytes. */
export interface HandshakeIO {
  readonly reader: ByteReader;
  write(bytes: Uint8Array): void;
}

/**
 * How the ECDH secret becomes key material. go-libp2p (`big.Int.Bytes()`) drops leading zero bytes,
 * js-libp2p keeps the fixed-length X coordinate; they differ once in 256 handshakes. `auto` (ours) learns
 * the peer's form from its first frame; `go` and `fixed` behave like those implementations (for tests).
 */
export type SecretEncoding = 'auto' | 'go' | 'fixed';

export interface HandshakeParams {
  readonly privateKey: PrivateKey;
  readonly exchanges: readonly ExchangeName[];
  readonly ciphers: readonly CipherName[];
  readonly hashes: readonly HashName[];
  readonly maxHandshakeMessageLength: number;
  readonly maxFrameLength: number;
  readonly ambiguousSecretWaitMs: number;
  readonly remotePeer?: PeerId;
  readonly signal?: AbortSignal;
  /** Test hooks: a chosen nonce, ephemeral private key and secret encoding. */
  readonly nonce?: Uint8Array;
  readonly ephemeralPrivateKey?: Uint8Array;
  /** Test hook: the ephemeral public key to send (signed) instead of ours, e.g. a point off the curve. */
  readonly sentEphemeralPublicKey?: Uint8Array;
  readonly secretEncoding?: SecretEncoding;
}

export interface HandshakeResult {
  readonly remotePublicKey: PublicKey;
  readonly remotePeer: PeerId;
  readonly exchange: ExchangeName;
  readonly suite: Suite;
  /** Whether the go form (leading zeros dropped) of an ambiguous secret was used. */
  readonly secretForm: 'fixed' | 'go';
  readonly sealer: FrameSealer;
  readonly opener: FrameOpener;
}

interface DirectionPair {
  readonly sealer: FrameSealer;
  readonly opener: FrameOpener;
}

/**
 * Runs the secio handshake: Propose both ways, pick who prefers and the suite, Exchange signed
 * ephemeral keys, stretch the shared secret into per-direction keys, then swap nonces over the
 * encrypted channel. Every failure is a SecioError, except an abort, which rejects with the signal's reason;
 * the caller closes the connection.
 */
export async function performHandshake(io: HandshakeIO, params: HandshakeParams): Promise<HandshakeResult> {
  const { signal } = params;
  const readMessage = (what: string) =>
    guard(
      io.reader.readLengthPrefixed(
        params.maxHandshakeMessageLength,
        SecioErrorCode.HandshakeMessageTooLarge,
        what,
      ),
      signal,
    );

  // 1. Propose.
  const nonce = params.nonce ?? randomBytes(NONCE_LENGTH);
  const localPubkey = publicKeyToProtobuf(params.privateKey.publicKey);
  const proposeOut = encodePropose({
    rand: nonce,
    pubkey: localPubkey,
    exchanges: params.exchanges.join(','),
    ciphers: params.ciphers.join(','),
    hashes: params.hashes.join(','),
  });
  io.write(lengthPrefixed(proposeOut));
  const proposeInBytes = await readMessage('Propose');
  const proposeIn = decodePropose(proposeInBytes);

  // 1.1 Identify.
  const { remotePublicKey, remotePeer } = decodeIdentity(proposeIn.pubkey);
  if (params.remotePeer !== undefined && !params.remotePeer.equals(remotePeer)) {
    throw new SecioError(
      SecioErrorCode.UnexpectedPeer,
      `dialled ${params.remotePeer} but reached ${remotePeer}`,
    );
  }

  // 1.2 Select.
  const order = handshakeOrder(localPubkey, nonce, proposeIn.pubkey, proposeIn.rand);
  const exchange = selectBest(
    order,
    params.exchanges,
    splitProposal(proposeIn.exchanges),
    'exchange',
  ) as ExchangeName;
  const suite: Suite = {
    cipher: selectBest(order, params.ciphers, splitProposal(proposeIn.ciphers), 'cipher') as CipherName,
    hash: selectBest(order, params.hashes, splitProposal(proposeIn.hashes), 'hash') as HashName,
  };

  // 2. Exchange.
  const ephemeral = createEphemeralKey(exchange, params.ephemeralPrivateKey);
  const sentPublicKey = params.sentEphemeralPublicKey ?? ephemeral.publicKey;
  const signature = await params.privateKey.sign(concatBytes(proposeOut, proposeInBytes, sentPublicKey));
  io.write(lengthPrefixed(encodeExchange({ epubkey: sentPublicKey, signature })));
  const exchangeIn = decodeExchange(await readMessage('Exchange'));

  // 2.1 Verify.
  const corpusIn = concatBytes(proposeInBytes, proposeOut, exchangeIn.epubkey);
  let signatureOk = false;
  try {
    signatureOk = await remotePublicKey.verify(corpusIn, exchangeIn.signature);
  } catch (cause) {
    throw new SecioError(SecioErrorCode.BadSignature, 'Exchange signature is malformed', { cause });
  }
  if (!signatureOk) {
    throw new SecioError(SecioErrorCode.BadSignature, `Exchange signature does not verify for ${remotePeer}`);
  }

  // 2.2 Keys.
  const fixedSecret = ephemeral.deriveSecret(exchangeIn.epubkey);
  const goSecret = dropLeadingZeros(fixedSecret);
  const directions = (secret: Uint8Array): DirectionPair => {
    const { k1, k2 } = stretchKeys(suite.cipher, suite.hash, secret);
    const [local, remote] = order > 0 ? [k1, k2] : [k2, k1];
    return { sealer: new FrameSealer(suite, local), opener: new FrameOpener(suite, remote) };
  };

  // 3. Finish: send the peer's nonce, expect ours back.
  const readFrame = () =>
    guard(io.reader.readLengthPrefixed(params.maxFrameLength, SecioErrorCode.FrameTooLarge, 'frame'), signal);
  const encoding = params.secretEncoding ?? 'auto';
  let chosen: DirectionPair;
  let secretForm: 'fixed' | 'go';
  let firstBody: Uint8Array;
  if (encoding !== 'auto' || goSecret.length === fixedSecret.length) {
    secretForm = encoding === 'go' ? 'go' : 'fixed';
    chosen = directions(secretForm === 'go' ? goSecret : fixedSecret);
    io.write(chosen.sealer.seal(proposeIn.rand));
    firstBody = await readFrame();
  } else {
    // Ambiguous secret: let the peer's first frame tell which form it used. Peers that are not us send
    // their nonce at once; between two of ours, the side that prefers speaks first after a short wait.
    const firstFrame = readFrame();
    firstFrame.catch(() => undefined);
    const early =
      order < 0 ? await firstFrame : await withinMs(firstFrame, params.ambiguousSecretWaitMs, signal);
    const forms = [
      { form: 'go' as const, pair: directions(goSecret) },
      { form: 'fixed' as const, pair: directions(fixedSecret) },
    ];
    const match = early === undefined ? forms[0] : forms.find((f) => f.pair.opener.authenticates(early));
    if (match === undefined)
      throw new SecioError(SecioErrorCode.BadMac, 'nonce frame MAC matches neither secret form');
    ({ form: secretForm, pair: chosen } = match);
    io.write(chosen.sealer.seal(proposeIn.rand));
    firstBody = early ?? (await firstFrame);
  }
  const echoed = chosen.opener.open(firstBody);
  if (!constantTimeEqual(echoed, nonce)) {
    throw new SecioError(SecioErrorCode.BadNonce, 'the peer did not echo our nonce');
  }
  return { remotePublicKey, remotePeer, exchange, suite, secretForm, ...chosen };
}

function decodeIdentity(protobuf: Uint8Array): { remotePublicKey: PublicKey; remotePeer: PeerId } {
  try {
    const remotePublicKey = publicKeyFromProtobuf(protobuf);
    return { remotePublicKey, remotePeer: peerIdFromPublicKey(remotePublicKey) };
  } catch (cause) {
    throw new SecioError(SecioErrorCode.BadPublicKey, 'Propose.pubkey is not a supported libp2p public key', {
      cause,
    });
  }
}

function dropLeadingZeros(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  return bytes.subarray(start);
}

/**
 * The value if `promise` settles within `ms`, otherwise undefined (the promise keeps running). The timer is
 * deliberately not unref'd: a handshake over an in-memory pipe has nothing else keeping the process alive.
 */
async function withinMs<T>(
  promise: Promise<T>,
  ms: number,
  signal: AbortSignal | undefined,
): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const elapsed = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await raceSignal(Promise.race([promise, elapsed]), signal);
  } finally {
    clearTimeout(timer);
  }
}

/** Rejects with the signal's reason when it fires first; keeps SecioErrors as they are. */
async function guard<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  try {
    return await raceSignal(promise, signal);
  } catch (err) {
    if (err instanceof SecioError) throw err;
    if (signal?.aborted) throw abortReason(signal);
    throw new SecioError(SecioErrorCode.Truncated, 'connection failed during the secio handshake', {
      cause: err,
    });
  }
}
