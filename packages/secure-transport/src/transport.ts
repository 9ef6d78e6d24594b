import type { MessageInitShape } from '@bufbuild/protobuf';
import { create } from '@bufbuild/protobuf';
import { bytesToHex, compareBytes, equalBytes } from '@status-ts/core';
import { generatePrivateKey, getPublicKey } from '@status-ts/crypto';
import { nowNanoseconds, signBundle, verifyBundle } from './bundle.js';
import {
  attachedBundles,
  decodeProtocolMessage,
  encodeProtocolMessage,
  type ProtocolMessageLimits,
} from './codec.js';
import { MAX_STORED_INSTALLATIONS, NO_INSTALLATION_ID, PROTOCOL_VERSION } from './constants.js';
import { decryptWithDh, encryptWithDh } from './dh-fallback.js';
import { SecureTransportError, SecureTransportErrorCode } from './errors.js';
import {
  type Bundle,
  BundleSchema,
  type DirectMessageProtocol,
  type DirectMessageProtocolSchema,
} from './generated/protocol_message_pb.js';
import { installationsOverCap } from './installation-cap.js';
import { assertSharedKey, type RatchetOptions, ratchetLimits } from './ratchet.js';
import {
  initiatorState,
  openRatchetMessage,
  pruneBounds,
  type RatchetLimits,
  receiveStep,
  responderState,
  sendStep,
} from './ratchet-state.js';
import { MemorySessionStore } from './store/memory.js';
import {
  type SessionChanges,
  type SessionStore,
  type StoredInstallation,
  type StoredPreKey,
  type StoredSession,
  sessionIdOf,
} from './store/types.js';
import {
  contactCodeTopic,
  DISCOVERY_TOPIC_NAME,
  negotiatedTopic,
  partitionedTopic,
  type SymmetricTopic,
  topicFromName,
} from './topics.js';
import { performActiveX3dh, x3dhPassive } from './x3dh.js';

/** status-go `MaxInstallations`: devices of one identity a message is encrypted to. */
export const MAX_INSTALLATIONS = 3;
/** status-go `BundleRefreshInterval`: a signed prekey older than this is replaced on the next bundle. */
export const BUNDLE_REFRESH_INTERVAL_MS = 24 * 60 * 60 * 1000;
/** status-go publisher `publishInterval` (21600 s): how often the contact code is advertised (ST-03). */
export const CONTACT_CODE_INTERVAL_MS = 6 * 60 * 60 * 1000;
/** status-go publisher `deviceNotFoundAckInterval` (7200 s): at most one bundle reply per peer (ST-12). */
export const BUNDLE_REPLY_INTERVAL_MS = 2 * 60 * 60 * 1000;

export interface SecureTransportOptions {
  /** Our identity (chat) private key. */
  readonly identityKey: Uint8Array;
  /** This device's installation id (status-go uses a UUID). */
  readonly installationId: string;
  /** Where prekeys, installations and sessions live (default: a new `MemorySessionStore`). */
  readonly store?: SessionStore;
  /** Devices per identity we encrypt to (default `MAX_INSTALLATIONS`). */
  readonly maxInstallations?: number;
  /**
   * Devices stored per identity, ours included (default `MAX_STORED_INSTALLATIONS`, 32; an integer >= 1).
   * Past it the least recently seen device is forgotten with its sessions (`stats.installationsEvicted`).
   */
  readonly maxStoredInstallations?: number;
  /** Limits of every ratchet session. */
  readonly ratchet?: RatchetOptions;
  /** Decoder limits for incoming messages. */
  readonly limits?: ProtocolMessageLimits;
  /** Current time in milliseconds (default `Date.now`). */
  readonly now?: () => number;
}

/** A known device of some identity. */
export type Installation = StoredInstallation;

/** What a transport dropped to stay within its limits; read it from `transport.stats`. */
export interface SecureTransportStats {
  /** Devices forgotten (or never stored) because their identity had `maxStoredInstallations` newer ones. */
  installationsEvicted: number;
}

/** A decrypted message. `confirm` forgets its ratchet message key once the application processed it. */
export interface DecryptedMessage {
  readonly payload: Uint8Array;
  /** Sender's 33-byte compressed identity key. */
  readonly sender: Uint8Array;
  /** Sender's installation id. */
  readonly installationId: string;
  /**
   * How it was protected: `ratchet` (forward secret), `dh` (no bundle was known to the sender; an empty
   * payload is a bundle reply, ST-12) or `public` (not encrypted by this layer: a public or contact-code
   * message that carried a bundle).
   */
  readonly kind: 'ratchet' | 'dh' | 'public';
  readonly confirm: () => Promise<void>;
}

/**
 * Where to post an encrypted message (ST-14): the negotiated topic once every device it is encrypted to
 * has sent us a message (both sides then know the secret), else the recipient's partitioned topic (an
 * asymmetric envelope to their key), or the legacy discovery topic when a device is a protocol-0 client.
 */
export type SendTopic =
  | { readonly kind: 'negotiated'; readonly topic: Uint8Array; readonly symmetricKey: Uint8Array }
  | { readonly kind: 'partitioned'; readonly topic: Uint8Array }
  | { readonly kind: 'discovery'; readonly topic: Uint8Array };

/** `encryptMessage` output: the bytes, the devices they are encrypted to, and the topic to post on. */
export interface EncryptedMessage {
  readonly bytes: Uint8Array;
  /** Installation ids with an entry (empty: a DH message under `"none"`). */
  readonly installationIds: readonly string[];
  readonly topic: SendTopic;
}

/** Topics to listen on (ST-14): asymmetric ones opened with our identity key, symmetric ones with a key. */
export interface ListeningTopics {
  /** Our partitioned topic and the legacy `contact-discovery` topic (asymmetric envelopes to us). */
  readonly asymmetric: readonly { readonly name: string; readonly topic: Uint8Array }[];
  /** The negotiated topic of every identity we share devices or sessions with. */
  readonly negotiated: readonly (SymmetricTopic & { readonly peer: Uint8Array })[];
}

type DirectInit = MessageInitShape<typeof DirectMessageProtocolSchema>;

// Failures an answer with our bundle can repair (ST-12). Malformed input gets no answer (no amplification).
const REPLY_CODES: ReadonlySet<string> = new Set([
  SecureTransportErrorCode.NotForThisDevice,
  SecureTransportErrorCode.SessionNotFound,
  SecureTransportErrorCode.DecryptFailed,
  SecureTransportErrorCode.TooManySkipped,
  SecureTransportErrorCode.MessageKeyGone,
]);

/**
 * The secure transport of one device (status-go `protocol/encryption`): our signed bundle, the devices of
 * every peer, one ratchet session per (identity, installation, bundle), X3DH on first contact with a
 * device, DH fallback when no device of the recipient is known, topic choice. State lives in a
 * `SessionStore`; every operation commits its changes in one atomic `apply` (a failed decrypt commits no
 * session change), and operations run one at a time. Nothing here knows Waku: the sender's identity comes
 * from the envelope signature the caller verified.
 */
export class SecureTransport {
  readonly #identityKey: Uint8Array;
  readonly #identity: Uint8Array;
  readonly #installationId: string;
  readonly #store: SessionStore;
  readonly #maxInstallations: number;
  readonly #maxStoredInstallations: number;
  readonly #limits: RatchetLimits;
  readonly #generateKey: () => Uint8Array;
  readonly #decodeLimits: ProtocolMessageLimits;
  readonly #now: () => number;
  /** Our prekeys, oldest first, loaded once (this transport is the store's only writer). */
  #preKeys: StoredPreKey[] | undefined;
  #lastContactCode = Number.NEGATIVE_INFINITY;
  readonly #lastBundleReply = new Map<string, number>();
  /** Negotiated topics by peer hex: the PBKDF2 behind the key costs tens of milliseconds. */
  readonly #negotiated = new Map<string, ReturnType<typeof negotiatedTopic>>();
  readonly #partitioned = new Map<string, Uint8Array>();
  /** Session id -> the X3DH ephemeral key that session was checked against (saves 3 ECDH per repeat). */
  readonly #x3dhSeen = new Map<string, string>();
  #tail: Promise<unknown> = Promise.resolve();
  readonly stats: SecureTransportStats = { installationsEvicted: 0 };

  constructor(options: SecureTransportOptions) {
    const maxStored = options.maxStoredInstallations ?? MAX_STORED_INSTALLATIONS;
    if (!Number.isSafeInteger(maxStored) || maxStored < 1) {
      throw new SecureTransportError(
        SecureTransportErrorCode.InvalidArgument,
        'maxStoredInstallations must be an integer >= 1',
        { details: { maxStoredInstallations: maxStored } },
      );
    }
    this.#maxStoredInstallations = maxStored;
    this.#identityKey = options.identityKey.slice();
    this.#identity = getPublicKey(options.identityKey, 'compressed');
    this.#installationId = options.installationId;
    this.#store = options.store ?? new MemorySessionStore();
    this.#maxInstallations = options.maxInstallations ?? MAX_INSTALLATIONS;
    this.#limits = ratchetLimits(options.ratchet);
    this.#generateKey = options.ratchet?.generateKey ?? generatePrivateKey;
    this.#decodeLimits = options.limits ?? {};
    this.#now = options.now ?? Date.now;
  }

  get identity(): Uint8Array {
    return this.#identity.slice();
  }

  get installationId(): string {
    return this.#installationId;
  }

  get store(): SessionStore {
    return this.#store;
  }

  /** Our bundle, re-signed with a fresh timestamp (status-go does so whenever it sends one). */
  bundle(): Promise<Bundle> {
    return this.#exclusive(() => this.#bundle());
  }

  /** Verifies a bundle and records its devices; our own new devices start disabled (manual approval). */
  addBundle(bundle: Bundle): Promise<void> {
    return this.#exclusive(async () => {
      await this.#commit(await this.#bundleChanges(bundle));
    });
  }

  /** Known devices of an identity. */
  installations(identity: Uint8Array): Promise<Installation[]> {
    return this.#exclusive(() => this.#store.loadInstallations(identity));
  }

  /** Enables or disables a device: only enabled devices get messages (our own need enabling first). */
  setInstallationEnabled(identity: Uint8Array, installationId: string, enabled: boolean): Promise<void> {
    return this.#exclusive(async () => {
      const known = (await this.#store.loadInstallations(identity)).find((d) => d.id === installationId);
      if (!known) {
        throw new SecureTransportError(SecureTransportErrorCode.InvalidArgument, 'unknown installation', {
          details: { installationId },
        });
      }
      await this.#store.apply({ installations: [{ ...known, enabled }] });
    });
  }

  /** `encryptMessage(recipient, payload).bytes`. */
  async encrypt(recipient: Uint8Array, payload: Uint8Array): Promise<Uint8Array> {
    return (await this.encryptMessage(recipient, payload)).bytes;
  }

  /**
   * Encrypts `payload` once per enabled device of `recipient` (at most `maxInstallations`, most recently
   * seen first; to our own identity: our other devices), with our bundle attached, and says which topic to
   * post it on. No known device: a DH-header message under `"none"` that any device of the recipient can
   * open. The session changes are committed before the bytes are returned.
   */
  encryptMessage(recipient: Uint8Array, payload: Uint8Array): Promise<EncryptedMessage> {
    return this.#exclusive(async () => {
      const targets = (await this.#store.loadInstallations(recipient))
        .filter((d) => d.enabled && !(d.id === this.#installationId && equalBytes(recipient, this.#identity)))
        .sort((a, b) => b.lastSeen - a.lastSeen)
        .slice(0, this.#maxInstallations);
      const directMessage: Record<string, DirectInit> = {};
      const sessions: StoredSession[] = [];
      const used: StoredInstallation[] = [];
      for (const device of targets) {
        const entry = await this.#sendingSession(recipient, device);
        if (!entry) continue;
        const { message, state } = sendStep(entry.ratchet, payload);
        sessions.push({ ...entry, ratchet: state });
        used.push(device);
        directMessage[device.id] = {
          DRHeader: {
            key: message.header.dh,
            n: message.header.n,
            pn: message.header.pn,
            id: entry.bundleId,
          },
          ...(entry.x3dhHeader ? { X3DHHeader: entry.x3dhHeader } : {}),
          payload: message.ciphertext,
        };
      }
      if (used.length === 0) {
        const dh = encryptWithDh(recipient, payload);
        directMessage[NO_INSTALLATION_ID] = { DHHeader: { key: dh.ephemeralPublicKey }, payload: dh.payload };
      }
      const bytes = encodeProtocolMessage({
        installationId: this.#installationId,
        bundles: [await this.#bundle()],
        directMessage,
      });
      if (sessions.length > 0) await this.#store.apply({ sessions });
      return { bytes, installationIds: used.map((d) => d.id), topic: this.#sendTopic(recipient, used) };
    });
  }

  /**
   * An unencrypted `ProtocolMessage` carrying `payload` as `public_message` and our bundle (status-go
   * `BuildPublicMessage`: public chats and contact-code advertisements attach the bundle too, ST-03).
   */
  buildPublicMessage(payload: Uint8Array): Promise<Uint8Array> {
    return this.#exclusive(async () =>
      encodeProtocolMessage({
        installationId: this.#installationId,
        bundles: [await this.#bundle()],
        publicMessage: payload,
      }),
    );
  }

  /**
   * ST-03: when our contact code is due (never advertised by this transport, or `CONTACT_CODE_INTERVAL_MS`
   * ago), the public message to post on our contact-code topic and that topic; else undefined. `payload`
   * is the signed `ApplicationMetadataMessage` of type 15 (CONTACT_CODE_ADVERTISEMENT) the caller built,
   * whose own payload is empty or a `ContactCodeAdvertisement`.
   */
  contactCodeAdvertisement(
    payload: Uint8Array,
    options: { force?: boolean } = {},
  ): Promise<{ bytes: Uint8Array; topic: SymmetricTopic } | undefined> {
    return this.#exclusive(async () => {
      const now = this.#now();
      if (!options.force && now - this.#lastContactCode < CONTACT_CODE_INTERVAL_MS) return undefined;
      this.#lastContactCode = now;
      const bytes = encodeProtocolMessage({
        installationId: this.#installationId,
        bundles: [await this.#bundle()],
        publicMessage: payload,
      });
      return { bytes, topic: contactCodeTopic(this.#identity) };
    });
  }

  /**
   * ST-12: after `decrypt` from `sender` failed with `error`, the answer carrying our current bundle (an
   * empty DH message, status-go `BuildBundleAdvertiseMessage`), so the sender can start sessions with this
   * device. Undefined when no answer is due: malformed input, our own identity, or an answer to the same
   * identity within `BUNDLE_REPLY_INTERVAL_MS`.
   */
  bundleReply(sender: Uint8Array, error: unknown): Promise<Uint8Array | undefined> {
    return this.#exclusive(async () => {
      if (!(error instanceof SecureTransportError) || !REPLY_CODES.has(error.code)) return undefined;
      if (equalBytes(sender, this.#identity)) return undefined;
      const key = bytesToHex(sender);
      const now = this.#now();
      const last = this.#lastBundleReply.get(key);
      if (last !== undefined && now - last < BUNDLE_REPLY_INTERVAL_MS) return undefined;
      this.#lastBundleReply.set(key, now);
      const dh = encryptWithDh(sender, new Uint8Array(0));
      return encodeProtocolMessage({
        installationId: this.#installationId,
        bundles: [await this.#bundle()],
        directMessage: {
          [NO_INSTALLATION_ID]: { DHHeader: { key: dh.ephemeralPublicKey }, payload: dh.payload },
        },
      });
    });
  }

  /** The topics this device should listen on (ST-14). */
  listeningTopics(): Promise<ListeningTopics> {
    return this.#exclusive(async () => {
      const negotiated = [];
      for (const peer of await this.#store.loadIdentities()) {
        if (equalBytes(peer, this.#identity)) continue;
        const { name, topic, symmetricKey } = this.#negotiatedTopic(peer);
        negotiated.push({ name, topic, symmetricKey, peer });
      }
      const own = partitionedTopic(this.#identity);
      return {
        asymmetric: [
          { name: 'partitioned', topic: own },
          { name: DISCOVERY_TOPIC_NAME, topic: topicFromName(DISCOVERY_TOPIC_NAME) },
        ],
        negotiated,
      };
    });
  }

  /**
   * Decrypts a `ProtocolMessage` from `sender` (the identity that signed the envelope). Attached bundles of
   * the sender are verified and recorded first (they stand on their own signature, as in status-go, so a
   * verified higher-version bundle replaces that device's sessions even if the rest fails). Every failure
   * is a SecureTransportError and commits no session or message-key change.
   */
  decrypt(sender: Uint8Array, bytes: Uint8Array): Promise<DecryptedMessage> {
    return this.#exclusive(async () => {
      const message = decodeProtocolMessage(bytes, this.#decodeLimits);
      // `bundles`, or the single field-1 bundle of an older client (attachedBundles).
      for (const bundle of attachedBundles(message)) {
        // Every message carries a re-signed copy of a bundle we usually know already: one that would change
        // nothing needs no signature check. Any change is recorded only from a verified bundle.
        if (!equalBytes(bundle.identity, sender) || (await this.#bundleIsKnown(bundle))) continue;
        await this.#commit(await this.#bundleChanges(bundle));
      }
      const from = message.installationId;
      const direct = message.directMessage[this.#installationId] ?? message.directMessage[NO_INSTALLATION_ID];
      if (!direct) {
        if (message.publicMessage.length > 0 && Object.keys(message.directMessage).length === 0) {
          return this.#result(message.publicMessage, sender, from, 'public', async () => {});
        }
        throw new SecureTransportError(
          SecureTransportErrorCode.NotForThisDevice,
          'no entry for this installation',
          { details: { installationId: this.#installationId } },
        );
      }
      if (direct.DRHeader) return this.#decryptRatchet(sender, from, direct);
      if (direct.DHHeader) {
        const payload = decryptWithDh(this.#identityKey, {
          ephemeralPublicKey: direct.DHHeader.key,
          payload: direct.payload,
        });
        await this.#commit({ installations: [await this.#touched(sender, from)] });
        return this.#result(payload, sender, from, 'dh', async () => {});
      }
      throw new SecureTransportError(SecureTransportErrorCode.BadMessage, 'direct message has no header');
    });
  }

  async #decryptRatchet(
    sender: Uint8Array,
    from: string,
    direct: DirectMessageProtocol,
  ): Promise<DecryptedMessage> {
    const dr = direct.DRHeader!;
    const sessions = await this.#store.loadSessions(sender, from);
    let entry = sessions.find((s) => equalBytes(s.bundleId, dr.id));
    const x3dh = direct.X3DHHeader;
    // The initiator repeats its X3DH header until we answer: redo the X3DH only for a header not seen yet.
    const seenHeader =
      x3dh !== undefined && entry !== undefined && this.#x3dhSeen.get(entry.id) === bytesToHex(x3dh.key);
    if (x3dh && !seenHeader && (!entry || entry.x3dhHeader === undefined)) {
      // Their X3DH on one of our signed prekeys: (re)build the responder session if the key differs.
      const preKey = (await this.#loadPreKeys()).find((k) => equalBytes(k.publicKey, x3dh.id));
      if (!preKey) {
        throw new SecureTransportError(
          SecureTransportErrorCode.SessionNotFound,
          'unknown signed prekey in X3DH header',
        );
      }
      const sharedKey = x3dhPassive(sender, preKey.privateKey, x3dh.key, this.#identityKey);
      if (!entry || !equalBytes(entry.sharedKey, sharedKey)) {
        assertSharedKey(sharedKey);
        entry = {
          id: sessionIdOf(sender, from, dr.id),
          identity: sender.slice(),
          installationId: from,
          bundleId: dr.id.slice(),
          sharedKey,
          x3dhHeader: undefined,
          ratchet: responderState(sharedKey, preKey.privateKey, preKey.publicKey),
        };
      }
    }
    if (!entry) {
      throw new SecureTransportError(
        SecureTransportErrorCode.SessionNotFound,
        'no session for this ratchet message',
        { details: { installationId: from } },
      );
    }
    const header = { dh: dr.key, n: dr.n, pn: dr.pn };
    const ratchetMessage = { header, ciphertext: direct.payload };
    const sessionId = entry.id;
    const stored = await this.#store.loadMessageKey(sessionId, header.dh, header.n);
    const changes: { -readonly [K in keyof SessionChanges]: SessionChanges[K] } = {};
    let payload: Uint8Array;
    if (stored) {
      payload = openRatchetMessage(stored.messageKey, ratchetMessage);
      if (entry.x3dhHeader) changes.sessions = [{ ...entry, x3dhHeader: undefined }];
    } else {
      const step = receiveStep(entry.ratchet, header, this.#limits, this.#generateKey);
      payload = openRatchetMessage(step.messageKey, ratchetMessage);
      // Authenticated: commit the new state, its keys and the limits in one batch.
      changes.sessions = [{ ...entry, x3dhHeader: undefined, ratchet: step.state }];
      changes.messageKeys = step.keys.map((k) => ({ ...k, sessionId }));
      changes.pruneMessageKeys = [{ sessionId, ...pruneBounds(step.state, this.#limits) }];
    }
    // Their ratchet message confirms the exchange: we stop sending our X3DH header (cleared above).
    changes.installations = [await this.#touched(sender, from)];
    await this.#commit(changes);
    if (x3dh) this.#x3dhSeen.set(sessionId, bytesToHex(x3dh.key));
    return this.#result(payload, sender, from, 'ratchet', () =>
      this.#exclusive(() =>
        this.#store.apply({ deleteMessageKeys: [{ sessionId, dh: header.dh, n: header.n }] }),
      ),
    );
  }

  #result(
    payload: Uint8Array,
    sender: Uint8Array,
    installationId: string,
    kind: DecryptedMessage['kind'],
    confirm: () => Promise<void>,
  ): DecryptedMessage {
    return { payload, sender: sender.slice(), installationId, kind, confirm };
  }

  async #sendingSession(
    recipient: Uint8Array,
    device: StoredInstallation,
  ): Promise<StoredSession | undefined> {
    const sessions = await this.#store.loadSessions(recipient, device.id);
    if (sessions.length > 0) {
      // Concurrent sessions (both sides started one): both ends pick the smallest shared key (ST-11).
      return sessions.sort((a, b) => compareBytes(a.sharedKey, b.sharedKey))[0];
    }
    if (!device.signedPreKey) return undefined;
    const x3dh = performActiveX3dh(recipient, device.signedPreKey, this.#identityKey);
    return {
      id: sessionIdOf(recipient, device.id, device.signedPreKey),
      identity: recipient.slice(),
      installationId: device.id,
      bundleId: device.signedPreKey.slice(),
      sharedKey: x3dh.sharedKey,
      x3dhHeader: { key: x3dh.ephemeralPublicKey, id: device.signedPreKey.slice() },
      ratchet: initiatorState(x3dh.sharedKey, device.signedPreKey, this.#generateKey()),
    };
  }

  #sendTopic(recipient: Uint8Array, used: readonly StoredInstallation[]): SendTopic {
    if (used.length > 0 && used.every((d) => d.agreed)) {
      const { topic, symmetricKey } = this.#negotiatedTopic(recipient);
      return { kind: 'negotiated', topic, symmetricKey };
    }
    // Only devices known to speak protocol 0 force the legacy topic (status-go PartitionedTopicMode).
    if (used.length > 0 && used.some((d) => d.protocolVersion < 1)) {
      return { kind: 'discovery', topic: topicFromName(DISCOVERY_TOPIC_NAME) };
    }
    return { kind: 'partitioned', topic: this.#partitionedTopic(recipient) };
  }

  #partitionedTopic(peer: Uint8Array): Uint8Array {
    const key = bytesToHex(peer);
    let topic = this.#partitioned.get(key);
    if (!topic) {
      topic = partitionedTopic(peer); // decompresses the key: worth caching
      this.#partitioned.set(key, topic);
    }
    return topic;
  }

  #negotiatedTopic(peer: Uint8Array): ReturnType<typeof negotiatedTopic> {
    const key = bytesToHex(peer);
    let topic = this.#negotiated.get(key);
    if (!topic) {
      topic = negotiatedTopic(this.#identityKey, peer);
      this.#negotiated.set(key, topic);
    }
    return topic;
  }

  async #bundle(): Promise<Bundle> {
    const preKey = await this.#currentPreKey();
    const signedPreKeys: Record<
      string,
      { signedPreKey: Uint8Array; version: number; protocolVersion: number }
    > = {
      [this.#installationId]: {
        signedPreKey: preKey.publicKey,
        version: 0,
        protocolVersion: PROTOCOL_VERSION,
      },
    };
    for (const own of await this.#store.loadInstallations(this.#identity)) {
      if (own.enabled && own.signedPreKey && own.id !== this.#installationId) {
        signedPreKeys[own.id] = {
          signedPreKey: own.signedPreKey,
          version: own.version,
          protocolVersion: own.protocolVersion,
        };
      }
    }
    const unsigned = create(BundleSchema, { identity: this.#identity, signedPreKeys });
    return signBundle(unsigned, this.#identityKey, nowNanoseconds());
  }

  async #bundleChanges(bundle: Bundle): Promise<SessionChanges> {
    const identity = verifyBundle(bundle);
    const own = equalBytes(identity, this.#identity);
    const known = new Map((await this.#store.loadInstallations(identity)).map((d) => [d.id, d]));
    const installations: StoredInstallation[] = [];
    const dropSessionsOf: { identity: Uint8Array; installationId: string }[] = [];
    for (const [id, spk] of Object.entries(bundle.signedPreKeys)) {
      if (own && id === this.#installationId) continue;
      const device = known.get(id);
      if (device && spk.version < device.version) continue;
      const sameKey = device?.signedPreKey !== undefined && equalBytes(device.signedPreKey, spk.signedPreKey);
      if (device && sameKey && spk.version === device.version) continue;
      // A higher bundle version expires the device's sessions; a new X3DH starts on the next send.
      if (device && spk.version > device.version) dropSessionsOf.push({ identity, installationId: id });
      installations.push({
        identity,
        id,
        signedPreKey: spk.signedPreKey.slice(),
        version: spk.version,
        protocolVersion: spk.protocolVersion,
        enabled: device?.enabled ?? !own,
        lastSeen: this.#now(),
        agreed: device?.agreed ?? false,
      });
    }
    return { installations, dropSessionsOf };
  }

  async #bundleIsKnown(bundle: Bundle): Promise<boolean> {
    if (bundle.identity.length !== 33) return false;
    const known = new Map((await this.#store.loadInstallations(bundle.identity)).map((d) => [d.id, d]));
    const own = equalBytes(bundle.identity, this.#identity);
    return Object.entries(bundle.signedPreKeys).every(([id, spk]) => {
      if (own && id === this.#installationId) return true;
      const device = known.get(id);
      return (
        device?.signedPreKey !== undefined &&
        spk.version <= device.version &&
        (spk.version < device.version || equalBytes(device.signedPreKey, spk.signedPreKey))
      );
    });
  }

  /** The device record after hearing from it: seen now, and it knows the negotiated secret. */
  async #touched(identity: Uint8Array, id: string): Promise<StoredInstallation> {
    const known = (await this.#store.loadInstallations(identity)).find((d) => d.id === id);
    return {
      identity: identity.slice(),
      id,
      signedPreKey: known?.signedPreKey,
      version: known?.version ?? 0,
      protocolVersion: known?.protocolVersion ?? 0,
      enabled: known?.enabled ?? !equalBytes(identity, this.#identity),
      lastSeen: this.#now(),
      // status-go records the negotiated secret only for senders of protocol version >= 1.
      agreed: (known?.agreed ?? false) || (known?.protocolVersion ?? 0) >= 1,
    };
  }

  async #loadPreKeys(): Promise<StoredPreKey[]> {
    this.#preKeys ??= await this.#store.loadPreKeys();
    return this.#preKeys;
  }

  async #currentPreKey(): Promise<StoredPreKey> {
    const preKeys = await this.#loadPreKeys();
    const last = preKeys.at(-1);
    const now = this.#now();
    if (last && now - last.createdMs < BUNDLE_REFRESH_INTERVAL_MS) return last;
    const privateKey = generatePrivateKey();
    const fresh = { privateKey, publicKey: getPublicKey(privateKey, 'compressed'), createdMs: now };
    await this.#store.apply({ preKeys: [fresh] });
    preKeys.push(fresh);
    return fresh;
  }

  /**
   * Applies `changes`, dropping in the same batch the least recently seen devices of every identity it
   * writes devices for beyond `maxStoredInstallations`: fresh installation ids cost an identity nothing to
   * announce, so without a cap one identity could grow the store without end.
   */
  async #commit(changes: SessionChanges): Promise<void> {
    const incoming = new Map<string, StoredInstallation[]>();
    for (const device of changes.installations ?? []) {
      const key = bytesToHex(device.identity);
      incoming.set(key, [...(incoming.get(key) ?? []), device]);
    }
    const dropInstallations: { identity: Uint8Array; installationId: string }[] = [];
    for (const devices of incoming.values()) {
      const identity = devices[0]!.identity;
      const known = await this.#store.loadInstallations(identity);
      for (const installationId of installationsOverCap(known, devices, this.#maxStoredInstallations)) {
        dropInstallations.push({ identity, installationId });
      }
    }
    if (dropInstallations.length === 0) {
      await this.#store.apply(changes);
      return;
    }
    await this.#store.apply({ ...changes, dropInstallations });
    this.stats.installationsEvicted += dropInstallations.length;
    for (const { identity, installationId } of dropInstallations) {
      const prefix = sessionIdOf(identity, installationId, new Uint8Array(0));
      for (const id of this.#x3dhSeen.keys()) if (id.startsWith(prefix)) this.#x3dhSeen.delete(id);
    }
  }

  /** Runs operations one at a time, in call order: each reads and commits the store without interleaving. */
  #exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(operation, operation);
    this.#tail = run.catch(() => undefined);
    return run;
  }
}
