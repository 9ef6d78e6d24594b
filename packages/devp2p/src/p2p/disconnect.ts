/** Disconnect reasons of the p2p base protocol (ethereum/devp2p rlpx.md, checklist RLPX-09). */
export const DisconnectReason = {
  DisconnectRequested: 0x00,
  NetworkError: 0x01,
  ProtocolError: 0x02,
  UselessPeer: 0x03,
  TooManyPeers: 0x04,
  AlreadyConnected: 0x05,
  IncompatibleVersion: 0x06,
  InvalidIdentity: 0x07,
  ClientQuitting: 0x08,
  UnexpectedIdentity: 0x09,
  SelfConnection: 0x0a,
  ReadTimeout: 0x0b,
  SubprotocolError: 0x10,
} as const;

/** A reason code: one of the named ones, or any other number a peer may send. */
export type DisconnectReason = (typeof DisconnectReason)[keyof typeof DisconnectReason];

const NAMES: Record<number, string> = {
  0: 'disconnect requested',
  1: 'network error',
  2: 'breach of protocol',
  3: 'useless peer',
  4: 'too many peers',
  5: 'already connected',
  6: 'incompatible p2p protocol version',
  7: 'invalid node identity',
  8: 'client quitting',
  9: 'unexpected identity',
  10: 'connected to self',
  11: 'read timeout',
  16: 'subprotocol error',
};

/** Human-readable name of a reason code, `unknown reason 0x..` for codes outside the table. */
export function disconnectReasonName(reason: number): string {
  return NAMES[reason] ?? `unknown reason 0x${reason.toString(16).padStart(2, '0')}`;
}
