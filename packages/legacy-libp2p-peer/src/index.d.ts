/** The protocol the legacy node serves and dials. */
export declare const REND_PROTOCOL: '/rend/0.1.0';

/** Byte-wise inversion: the legacy node's /rend/0.1.0 answer to whatever it reads. */
export declare function invertBytes(bytes: Uint8Array): Uint8Array;

export interface LegacyPeerOptions {
  /** Identity key type to generate (default secp256k1). */
  keyType?: 'secp256k1' | 'ed25519' | 'rsa';
  /** A libp2p PrivateKey protobuf to use instead of a fresh key. */
  privateKeyProtobuf?: Uint8Array;
}

export interface LegacyPeer {
  /** Base58 peer id. */
  readonly peerId: string;
  /** `/ip4/127.0.0.1/tcp/<port>/p2p/<id>` */
  readonly multiaddr: string;
  /** How many /rend/0.1.0 streams it has accepted. */
  readonly served: number;
  /** Dials `address` (with /p2p/), opens /rend/0.1.0, writes `payload`, closes writing, returns all it reads. */
  dialRend(address: string, payload: Uint8Array): Promise<Uint8Array>;
  hangUpAll(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts an old js-libp2p 0.29.4 node with secio, tcp and mplex on 127.0.0.1. */
export declare function startLegacyPeer(options?: LegacyPeerOptions): Promise<LegacyPeer>;

/** libp2p-crypto 0.18's secio key stretcher (an independent implementation to check ours against). */
export declare function legacyKeyStretcher(
  cipherType: 'AES-128' | 'AES-256',
  hashType: 'SHA256' | 'SHA512',
  secret: Uint8Array,
): Promise<{
  k1: { iv: Uint8Array; cipherKey: Uint8Array; macKey: Uint8Array };
  k2: { iv: Uint8Array; cipherKey: Uint8Array; macKey: Uint8Array };
}>;
