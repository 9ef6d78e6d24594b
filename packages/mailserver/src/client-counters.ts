/** Why the client refused envelopes a mailserver sent it: each one is a strike against that mailserver. */
export type MailserverViolation = 'outsideRequest' | 'overLimit' | 'overRate';

/**
 * What a MailClient received from its mailservers and what it refused, by reason. Only P2P traffic of the
 * peers it asks (its mailservers, and peers it sent a request to) is counted.
 */
export interface MailClientCounters {
  /** P2P envelopes received, their encoded bytes, and those accepted as part of an answer. */
  envelopesReceived: number;
  bytesReceived: number;
  envelopesAccepted: number;
  /**
   * Envelopes refused: sent when no request was open (`outsideRequest`), beyond the limits of the open
   * requests (`overLimit`), above the byte budget (`overRate`), or by a mailserver already dropped
   * (`misbehaving`, no strike: it is cut off again).
   */
  dropped: Record<MailserverViolation | 'misbehaving', number>;
  /** Request-complete packets received, and those answering no request the node knows of. */
  completesReceived: number;
  completesUnexpected: number;
  /** Request-complete packets refused: above the byte budget, or from a mailserver already dropped. */
  completesDropped: Record<'overRate' | 'misbehaving', number>;
  /** P2P packets that broke a bound (one strike each), and mailservers dropped for them. */
  strikes: number;
  misbehaved: number;
}

export function newClientCounters(): MailClientCounters {
  return {
    envelopesReceived: 0,
    bytesReceived: 0,
    envelopesAccepted: 0,
    dropped: { outsideRequest: 0, overLimit: 0, overRate: 0, misbehaving: 0 },
    completesReceived: 0,
    completesUnexpected: 0,
    completesDropped: { overRate: 0, misbehaving: 0 },
    strikes: 0,
    misbehaved: 0,
  };
}

export function copyClientCounters(c: MailClientCounters): MailClientCounters {
  return { ...c, dropped: { ...c.dropped }, completesDropped: { ...c.completesDropped } };
}
