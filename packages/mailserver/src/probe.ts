import {
  abortReason,
  bytesToHex,
  type Cancel,
  type Clock,
  systemClock,
  throwIfAborted,
  unixSeconds,
  utf8ToBytes,
} from '@status-ts/core';
import { generatePrivateKey, keccak256, randomBytes } from '@status-ts/crypto';
import { bloomOfTopics, type P2PRequestComplete, type Topic, type WakuPeer } from '@status-ts/waku';
import type { ClientRequestShape, MailClient } from './client.js';
import { announceMailserverAsk } from './client-asks.js';
import { DEFAULT_REQUEST_TIMEOUT_MS } from './constants.js';
import { MailserverError, MailserverErrorCode } from './errors.js';
import { buildRequestEnvelope, encodeMessagesRequest, encodeRequestPayload } from './request.js';
import { mailserverSymKey } from './server.js';

/** The topic probes ask for: derived from a fixed label, so no chat uses it and the answer is empty. */
export const PROBE_TOPIC: Topic = keccak256(utf8ToBytes('status-ts/mailserver-probe')).slice(0, 4);

export interface MailserverProbeOptions {
  /** Times the round trip (default the node's clock). */
  clock?: Clock;
  /** Gives up after this many ms (default 10 s); a caller's signal can end it sooner. */
  timeoutMs?: number;
  /** The topic asked for (default {@link PROBE_TOPIC}). */
  topic?: Topic;
  /** Width of the window asked for, ending now (default 1 s). */
  windowSeconds?: number;
  /** As the client's `shape`: `auto` (default) sends MessagesRequest over waku/1, a request envelope over shh/6. */
  shape?: ClientRequestShape;
  /** Request envelope key (default the mailserver key) and signer (default a random key). */
  symKey?: Uint8Array;
  signingKey?: Uint8Array;
}

/** The peer being probed: its 64-byte public key in hex (the devp2p / Waku peer id). */
export interface ProbedPeer {
  readonly id: string;
}

/** Resolves with the round trip in ms; rejects with a MailserverError, or the signal's reason when it aborts. */
export type MailserverRoundTrip = (peer: ProbedPeer, signal?: AbortSignal) => Promise<number>;

/**
 * A round-trip probe for choosing a mailserver (fits `@status-ts/peerpool`'s `mailserverProbe`): sends the
 * cheapest request a mailserver answers, one page of `limit` 1 for a topic nobody uses over the last second,
 * straight to the peer, and times it until the request-complete arrives (a peer whose Waku handshake is still
 * under way is waited for, within the timeout). Independent of the client's own
 * requests (its history, sync state, pacing and events are untouched). Rejects when the peer is not
 * connected over Waku in time, the mailserver answers with an error (not a mailserver, rate limited...), or no answer comes
 * within `timeoutMs`.
 */
export function mailserverProbe(
  client: Pick<MailClient, 'node'>,
  options: MailserverProbeOptions = {},
): MailserverRoundTrip {
  const node = client.node;
  const clock = options.clock ?? node.options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const topic = options.topic ?? PROBE_TOPIC;
  const windowSeconds = options.windowSeconds ?? 1;
  const shape = options.shape ?? 'auto';
  const signingKey = options.signingKey ?? generatePrivateKey();
  if (!(timeoutMs > 0)) {
    throw new MailserverError(
      MailserverErrorCode.InvalidOptions,
      `probe timeoutMs must be > 0, got ${timeoutMs}`,
    );
  }
  if (!(windowSeconds >= 0)) {
    throw new MailserverError(
      MailserverErrorCode.InvalidOptions,
      `probe windowSeconds must be >= 0, got ${windowSeconds}`,
    );
  }
  if (topic.length !== 4) {
    throw new MailserverError(
      MailserverErrorCode.InvalidOptions,
      `probe topic must be 4 bytes, got ${topic.length}`,
    );
  }

  /** Resolves with the peer's Waku session, waiting (until `deadline`) for a handshake still under way. */
  const session = async (id: string, deadline: number, signal?: AbortSignal): Promise<WakuPeer> => {
    const ready = node.getPeer(id);
    if (ready) return ready;
    return new Promise<WakuPeer>((resolve, reject) => {
      const done = () => {
        timer();
        node.off('peer:added', onAdded);
        signal?.removeEventListener('abort', onAbort);
      };
      const onAdded = (added: WakuPeer) => {
        if (added.idHex !== id) return;
        done();
        resolve(added);
      };
      const onAbort = () => {
        done();
        reject(abortReason(signal!));
      };
      const timer = clock.setTimeout(
        () => {
          done();
          reject(
            new MailserverError(MailserverErrorCode.RequestFailed, 'mailserver not connected over Waku', {
              details: { id },
            }),
          );
        },
        Math.max(0, deadline - clock.now()),
      );
      node.on('peer:added', onAdded);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  };

  return async (peer, signal) => {
    throwIfAborted(signal);
    const id = peer.id.replace(/^0x/, '').toLowerCase();
    const deadline = clock.now() + timeoutMs;
    // The pool hands over a peer once RLPx is up; the Waku status exchange may still be finishing.
    const waku = await session(id, deadline, signal);
    throwIfAborted(signal);
    const upper = unixSeconds(clock);
    const fields = {
      lower: Math.max(0, upper - windowSeconds),
      upper,
      topics: [topic],
      bloom: bloomOfTopics([topic]),
      limit: 1,
    };
    const useEnvelope = shape === 'auto' ? waku.protocol === 'shh' : shape === 'envelope';
    let requestId: Uint8Array;
    let wire: Parameters<typeof node.sendP2PRequest>[1];
    if (useEnvelope) {
      const envelope = buildRequestEnvelope({
        payload: encodeRequestPayload({ ...fields, batch: true }),
        signingKey,
        symKey: options.symKey ?? mailserverSymKey(),
        now: upper,
      });
      requestId = envelope.hash;
      wire = envelope;
    } else {
      requestId = randomBytes(32);
      wire = encodeMessagesRequest(requestId, fields);
    }
    const requestIdHex = bytesToHex(requestId);

    return new Promise<number>((resolve, reject) => {
      let timer: Cancel | undefined;
      const cleanup = () => {
        timer?.();
        node.off('p2p:requestComplete', onComplete);
        signal?.removeEventListener('abort', onAbort);
      };
      const fail = (error: unknown) => {
        cleanup();
        reject(error);
      };
      const onComplete = (from: WakuPeer, complete: P2PRequestComplete) => {
        if (from.idHex !== id || bytesToHex(complete.requestId) !== requestIdHex) return;
        cleanup();
        if (complete.error !== undefined) {
          reject(
            new MailserverError(MailserverErrorCode.RequestFailed, `mailserver error: ${complete.error}`, {
              details: { id },
            }),
          );
        } else {
          resolve(clock.now() - started);
        }
      };
      const onAbort = () => fail(abortReason(signal!));
      const started = clock.now();
      node.on('p2p:requestComplete', onComplete);
      signal?.addEventListener('abort', onAbort, { once: true });
      timer = clock.setTimeout(
        () =>
          fail(
            new MailserverError(
              MailserverErrorCode.Timeout,
              `no answer from the mailserver in ${timeoutMs} ms`,
              {
                details: { id },
              },
            ),
          ),
        Math.max(0, deadline - clock.now()),
      );
      // The clients on this node take its answer (at most one envelope) for one they may receive.
      announceMailserverAsk(node, {
        origin: options,
        server: id,
        requestIdHex,
        limit: 1,
        ttlMs: 2 * timeoutMs,
      });
      node.sendP2PRequest(id, wire).catch((cause: unknown) =>
        fail(
          new MailserverError(MailserverErrorCode.RequestFailed, 'could not send the probe', {
            cause,
            details: { id },
          }),
        ),
      );
    });
  };
}
