import type { MessageInitShape } from '@bufbuild/protobuf';
import { create } from '@bufbuild/protobuf';
import { bytesToHex, compareBytes, equalBytes } from '@status-ts/core';
import { generatePrivateKey, getPublicKey } from '@status-ts/crypto';
import { nowNanoseconds, signBundle, verifyBundle } from './bundle.js';
import { decodeProtocolMessage, encodeProtocolMessage, type ProtocolMessageLimits } from './codec.js';
import { NO_INSTALLATION_ID, PROTOCOL_VERSION } from './constants.js';
import { decryptWithDh, encryptWithDh } from './dh-fallback.js';
import { SecureTransportError, SecureTransportErrorCode } from './errors.js';
import {
  type Bundle,
  BundleSchema,
  type DirectMessageProtocol,
  type DirectMessageProtocolSchema,
} from './generated/protocol_message_pb.js';
import { type RatchetOptions, RatchetSession } from './ratchet.js';
import { performActiveX3dh, x3dhPassive } from './x3dh.js';

/** status-go `MaxInstallations`: devices of one identity a message is encrypted to. */
export const MAX_INSTALLATIONS = 3;
/** status-go `BundleRefreshInterval`: a signed prekey older than this is replaced on the next bundle. */
export const BUNDLE_REFRESH_INTERVAL_MS = 24 * 60 * 60 * 1000;

export interface SecureTransportOptions {
  /** Our identity (chat) private key. */
  readonly identityKey: Uint8Array;
  /** This device's installation id (status-go uses a UUID). */
  readonly installationId: string;
  /** Devices per identity we encrypt to (default `MAX_INSTALLATIONS`). */
  readonly maxInstallations?: number;
  /** Limits of every ratchet session. */
  readonly ratchet?: RatchetOptions;
  /** Decoder limits for incoming messages. */
  readonly limits?: ProtocolMessageLimits;
  /** Current time in milliseconds (default `Date.now`). */
  readonly now?: () => number;
}

/** A known device of some identity, learned from a verified bundle or a received message. */
export interface Installation {
  readonly id: string;
  readonly signedPreKey: Uint8Array | undefined;
  readonly version: number;
  readonly enabled: boolean;
  /** Last time (ms) we heard from it or learned about it; sending picks the most recent. */
  readonly lastSeen: number;
}

/** A decrypted message. `confirm` forgets its ratchet message key once the application processed it. */
export interface DecryptedMessage {
  readonly payload: Uint8Array;
  /** Sender's 33-byte compressed identity key. */
  readonly sender: Uint8Array;
  /** Sender's installation id. */
  readonly installationId: string;
  /** How it was encrypted: `ratchet` (forward secret) or `dh` (no bundle was known to the sender). */
  readonly kind: 'ratchet' | 'dh';
  readonly confirm: () => void;
}

interface SessionEntry {
  readonly session: RatchetSession;
  readonly sharedKey: Uint8Array;
  /** The signed prekey the X3DH used: `DRHeader.id` on both sides. */
  readonly bundleId: Uint8Array;
  /** Our X3DH header, repeated until the peer answers with a ratchet message. */
  x3dhHeader: { key: Uint8Array; id: Uint8Array } | undefined;
}

interface OwnPreKey {
  readonly privateKey: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly createdMs: number;
}

type DirectInit = MessageInitShape<typeof DirectMessageProtocolSchema>;

/**
 * In-memory secure transport of one device (status-go `encryptor` without persistence): our signed bundle,
 * the devices of every peer, one ratchet session per (identity, installation, bundle), X3DH on first
 * contact with a device, DH fallback when no device of the recipient is known. Nothing here knows Waku:
 * the sender's identity comes from the envelope signature the caller verified.
 */
export class SecureTransport {
  readonly #identityKey: Uint8Array;
  readonly #identity: Uint8Array;
  readonly #installationId: string;
  readonly #maxInstallations: number;
  readonly #ratchet: RatchetOptions;
  readonly #limits: ProtocolMessageLimits;
  readonly #now: () => number;
  /** Current signed prekey last; older ones stay so late X3DH messages still open. */
  readonly #preKeys: OwnPreKey[] = [];
  readonly #installations = new Map<string, Map<string, Installation>>();
  readonly #sessions = new Map<string, Map<string, SessionEntry>>();

  constructor(options: SecureTransportOptions) {
    this.#identityKey = options.identityKey;
    this.#identity = getPublicKey(options.identityKey, 'compressed');
    this.#installationId = options.installationId;
    this.#maxInstallations = options.maxInstallations ?? MAX_INSTALLATIONS;
    this.#ratchet = options.ratchet ?? {};
    this.#limits = options.limits ?? {};
    this.#now = options.now ?? Date.now;
  }

  get identity(): Uint8Array {
    return this.#identity.slice();
  }

  get installationId(): string {
    return this.#installationId;
  }

  /** Our bundle, re-signed with a fresh timestamp (status-go does so whenever it sends one). */
  bundle(): Bundle {
    const preKey = this.#currentPreKey();
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
    for (const own of this.#devicesOf(this.#identity)) {
      if (own.enabled && own.signedPreKey) {
        signedPreKeys[own.id] = {
          signedPreKey: own.signedPreKey,
          version: own.version,
          protocolVersion: PROTOCOL_VERSION,
        };
      }
    }
    const unsigned = create(BundleSchema, { identity: this.#identity, signedPreKeys });
    return signBundle(unsigned, this.#identityKey, nowNanoseconds());
  }

  /** Verifies a bundle and records its devices; our own new devices start disabled (manual approval). */
  addBundle(bundle: Bundle): void {
    const identity = verifyBundle(bundle);
    const own = equalBytes(identity, this.#identity);
    const devices = this.#deviceMap(identity);
    for (const [id, spk] of Object.entries(bundle.signedPreKeys)) {
      if (own && id === this.#installationId) continue;
      const known = devices.get(id);
      if (known?.signedPreKey && equalBytes(known.signedPreKey, spk.signedPreKey)) continue;
      if (known && spk.version < known.version) continue;
      if (known && spk.version > known.version) this.#sessionsOf(identity, id).clear(); // new bundle: new X3DH
      devices.set(id, {
        id,
        signedPreKey: spk.signedPreKey.slice(),
        version: spk.version,
        enabled: known?.enabled ?? !own,
        lastSeen: this.#now(),
      });
    }
  }

  /** Known devices of an identity (copies). */
  installations(identity: Uint8Array): Installation[] {
    return [...this.#devicesOf(identity)];
  }

  /** Enables or disables a device: only enabled devices get messages (our own need enabling first). */
  setInstallationEnabled(identity: Uint8Array, installationId: string, enabled: boolean): void {
    const devices = this.#deviceMap(identity);
    const known = devices.get(installationId);
    if (!known) {
      throw new SecureTransportError(SecureTransportErrorCode.InvalidArgument, 'unknown installation', {
        details: { installationId },
      });
    }
    devices.set(installationId, { ...known, enabled });
  }

  /**
   * Encrypts `payload` once per enabled device of `recipient` (at most `maxInstallations`, most recently
   * seen first; to our own identity: our other devices), with our bundle attached. No known device: a
   * DH-header message under `"none"` that any device of the recipient can open.
   */
  encrypt(recipient: Uint8Array, payload: Uint8Array): Uint8Array {
    const targets = this.#devicesOf(recipient)
      .filter((d) => d.enabled && d.id !== this.#installationId)
      .sort((a, b) => b.lastSeen - a.lastSeen)
      .slice(0, this.#maxInstallations);
    const directMessage: Record<string, DirectInit> = {};
    for (const device of targets) {
      const entry = this.#sendingSession(recipient, device);
      if (!entry) continue;
      const { header, ciphertext } = entry.session.encrypt(payload);
      directMessage[device.id] = {
        DRHeader: { key: header.dh, n: header.n, pn: header.pn, id: entry.bundleId },
        ...(entry.x3dhHeader ? { X3DHHeader: entry.x3dhHeader } : {}),
        payload: ciphertext,
      };
    }
    if (Object.keys(directMessage).length === 0) {
      const dh = encryptWithDh(recipient, payload);
      directMessage[NO_INSTALLATION_ID] = { DHHeader: { key: dh.ephemeralPublicKey }, payload: dh.payload };
    }
    return encodeProtocolMessage({
      installationId: this.#installationId,
      bundles: [this.bundle()],
      directMessage,
    });
  }

  /**
   * Decrypts a `ProtocolMessage` from `sender` (the identity that signed the envelope). Attached bundles of
   * the sender are verified and recorded. Every failure is a SecureTransportError and leaves sessions as
   * they were (bundles already verified are kept).
   */
  decrypt(sender: Uint8Array, bytes: Uint8Array): DecryptedMessage {
    const message = decodeProtocolMessage(bytes, this.#limits);
    for (const bundle of message.bundles) {
      if (equalBytes(bundle.identity, sender)) this.addBundle(bundle);
    }
    const from = message.installationId;
    const direct = message.directMessage[this.#installationId] ?? message.directMessage[NO_INSTALLATION_ID];
    if (!direct) {
      throw new SecureTransportError(
        SecureTransportErrorCode.NotForThisDevice,
        'no entry for this installation',
        {
          details: { installationId: this.#installationId },
        },
      );
    }
    if (direct.DRHeader) return this.#decryptRatchet(sender, from, direct);
    if (direct.DHHeader) {
      const payload = decryptWithDh(this.#identityKey, {
        ephemeralPublicKey: direct.DHHeader.key,
        payload: direct.payload,
      });
      return { payload, sender: sender.slice(), installationId: from, kind: 'dh', confirm: () => {} };
    }
    throw new SecureTransportError(SecureTransportErrorCode.BadMessage, 'direct message has no header');
  }

  #decryptRatchet(sender: Uint8Array, from: string, direct: DirectMessageProtocol): DecryptedMessage {
    const dr = direct.DRHeader!;
    const sessions = this.#sessionsOf(sender, from);
    const idHex = bytesToHex(dr.id);
    let entry = sessions.get(idHex);
    let created = false;
    if (direct.X3DHHeader && (!entry || entry.x3dhHeader === undefined)) {
      // Their X3DH on one of our signed prekeys: (re)build the responder session if the key differs.
      const preKey = this.#preKeys.find((k) => equalBytes(k.publicKey, direct.X3DHHeader!.id));
      if (!preKey) {
        throw new SecureTransportError(
          SecureTransportErrorCode.SessionNotFound,
          'unknown signed prekey in X3DH header',
        );
      }
      const sharedKey = x3dhPassive(sender, preKey.privateKey, direct.X3DHHeader.key, this.#identityKey);
      if (!entry || !equalBytes(entry.sharedKey, sharedKey)) {
        const session = RatchetSession.responder(sharedKey, preKey.privateKey, this.#ratchet);
        entry = { session, sharedKey, bundleId: dr.id.slice(), x3dhHeader: undefined };
        created = true;
      }
    }
    if (!entry) {
      throw new SecureTransportError(
        SecureTransportErrorCode.SessionNotFound,
        'no session for this ratchet message',
        {
          details: { installationId: from },
        },
      );
    }
    const header = { dh: dr.key, n: dr.n, pn: dr.pn };
    const payload = entry.session.decrypt({ header, ciphertext: direct.payload });
    // Success: commit. Their ratchet message confirms the exchange, so we stop sending our X3DH header.
    if (created) sessions.set(idHex, entry);
    entry.x3dhHeader = undefined;
    this.#touch(sender, from);
    const session = entry.session;
    return {
      payload,
      sender: sender.slice(),
      installationId: from,
      kind: 'ratchet',
      confirm: () => session.confirm(header),
    };
  }

  #sendingSession(recipient: Uint8Array, device: Installation): SessionEntry | undefined {
    const sessions = this.#sessionsOf(recipient, device.id);
    if (sessions.size > 0) {
      // Concurrent sessions (both sides started one): both ends pick the smallest shared key (ST-11).
      return [...sessions.values()].sort((a, b) => compareBytes(a.sharedKey, b.sharedKey))[0];
    }
    if (!device.signedPreKey) return undefined;
    const x3dh = performActiveX3dh(recipient, device.signedPreKey, this.#identityKey);
    const entry: SessionEntry = {
      session: RatchetSession.initiator(x3dh.sharedKey, device.signedPreKey, this.#ratchet),
      sharedKey: x3dh.sharedKey,
      bundleId: device.signedPreKey.slice(),
      x3dhHeader: { key: x3dh.ephemeralPublicKey, id: device.signedPreKey.slice() },
    };
    sessions.set(bytesToHex(entry.bundleId), entry);
    return entry;
  }

  #currentPreKey(): OwnPreKey {
    const last = this.#preKeys.at(-1);
    const now = this.#now();
    if (last && now - last.createdMs < BUNDLE_REFRESH_INTERVAL_MS) return last;
    const privateKey = generatePrivateKey();
    const fresh = { privateKey, publicKey: getPublicKey(privateKey, 'compressed'), createdMs: now };
    this.#preKeys.push(fresh);
    return fresh;
  }

  #touch(identity: Uint8Array, id: string): void {
    const devices = this.#deviceMap(identity);
    const known = devices.get(id);
    const own = equalBytes(identity, this.#identity);
    devices.set(id, {
      id,
      signedPreKey: known?.signedPreKey,
      version: known?.version ?? 0,
      enabled: known?.enabled ?? !own,
      lastSeen: this.#now(),
    });
  }

  #deviceMap(identity: Uint8Array): Map<string, Installation> {
    const key = bytesToHex(identity);
    let devices = this.#installations.get(key);
    if (!devices) {
      devices = new Map();
      this.#installations.set(key, devices);
    }
    return devices;
  }

  #devicesOf(identity: Uint8Array): Installation[] {
    return [...(this.#installations.get(bytesToHex(identity))?.values() ?? [])];
  }

  #sessionsOf(identity: Uint8Array, installationId: string): Map<string, SessionEntry> {
    const key = `${bytesToHex(identity)}/${installationId}`;
    let sessions = this.#sessions.get(key);
    if (!sessions) {
      sessions = new Map();
      this.#sessions.set(key, sessions);
    }
    return sessions;
  }
}
