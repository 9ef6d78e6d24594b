import { bytesToHex } from '@status-ts/core';
import { ENODE_PREFIX, ENR_TEXT_PREFIX, Enr, parseEnode } from '@status-ts/enr';
import { PeerPoolError, PeerPoolErrorCode } from './errors.js';

/** Something to dial: a decoded record, its `enr:` text, or an `enode://` URL. */
export type PeerTarget = Enr | string;

/** An RLPx capability (`waku/1`, `shh/6`). */
export interface PeerCapability {
  readonly name: string;
  readonly version: number;
}

/** What the pool keeps of a connected peer. */
export interface ConnectedPeer {
  /** The peer's 64-byte public key in hex (how devp2p names peers). */
  readonly id: string;
  /** Capabilities shared with the peer after Hello. */
  readonly capabilities: readonly PeerCapability[];
  /**
   * Calls `listener` once when the connection ends (soon, if it already has); returns an unsubscribe.
   * `reason` is free text for logs.
   */
  onDisconnected(listener: (reason?: string) => void): () => void;
  /** Ends the connection (the pool drops peers it no longer wants). */
  disconnect(): void;
}

/**
 * How the pool opens connections (ARCHITECTURE seam): the devp2p `Server` in a client
 * (`serverDialer(server)`), a fake in tests. Rejects when the peer cannot be reached or refuses us.
 */
export interface Dialer {
  dial(target: PeerTarget, signal?: AbortSignal): Promise<ConnectedPeer>;
}

/** The hex 64-byte public key a target names; ERR_PEERPOOL_BAD_TARGET when it names none. */
export function targetId(target: PeerTarget): string {
  try {
    if (target instanceof Enr) return bytesToHex(target.rawPublicKey);
    if (target.startsWith(ENR_TEXT_PREFIX)) return bytesToHex(Enr.decodeText(target).rawPublicKey);
    if (target.startsWith(ENODE_PREFIX)) return bytesToHex(parseEnode(target).publicKey);
  } catch (cause) {
    throw new PeerPoolError(PeerPoolErrorCode.BadTarget, 'not a valid ENR or enode URL', { cause });
  }
  throw new PeerPoolError(PeerPoolErrorCode.BadTarget, 'a peer target is an Enr, enr: text or enode:// URL');
}

/** A target as an Enr when it is one (enode URLs carry no record). */
export function targetRecord(target: PeerTarget): Enr | undefined {
  if (target instanceof Enr) return target;
  if (target.startsWith(ENR_TEXT_PREFIX)) return Enr.decodeText(target);
  return undefined;
}

/** Normalises a node id given as bytes or hex (with or without 0x) to lowercase hex. */
export function normaliseId(id: Uint8Array | string): string {
  if (id instanceof Uint8Array) return bytesToHex(id);
  return (id.startsWith('0x') ? id.slice(2) : id).toLowerCase();
}
