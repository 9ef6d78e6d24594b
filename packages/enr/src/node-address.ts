/** What a dialer needs to reach a node, produced alike by `Enr.toNodeAddress()` and `parseEnode()`. */
export interface NodeAddress {
  /** The 64-byte `X||Y` secp256k1 public key: RLPx authenticates against it. */
  readonly publicKey: Uint8Array;
  /** Keccak-256 of `publicKey` (32 bytes). */
  readonly nodeId: Uint8Array;
  /** IPv4 dotted or IPv6 text; undefined for an incomplete enode URL (key only) or a record without IP. */
  readonly ip: string | undefined;
  /** A DNS name, only from `parseEnode(url, { allowHostname: true })`. */
  readonly hostname?: string;
  /** RLPx port; 0 when unknown. */
  readonly tcp: number;
  /** Discovery port; 0 when unknown. */
  readonly udp: number;
}
