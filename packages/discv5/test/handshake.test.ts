import { generatePrivateKey, getPublicKey } from '@status-ts/crypto';
import { Enr } from '@status-ts/enr';
import { describe, expect, it } from 'vitest';
import {
  acceptHandshake,
  Discv5ErrorCode,
  decodeHandshakeAuthdata,
  type HandshakeAuthdata,
  initiateHandshake,
  signIdNonce,
} from '../src/index.js';
import { thrown } from './helpers.js';

const aKey = generatePrivateKey();
const bKey = generatePrivateKey();
const bId = Enr.create({ privateKey: bKey }).nodeId;
const challengeData = new Uint8Array(63).fill(5);
const recordOfA = (seq: number) => Enr.create({ privateKey: aKey, ip: '10.0.0.1', udp: 9000, seq });

/** A's handshake to B; the record goes in when B's copy (`challengeEnrSeq`) is older than `seq`. */
function handshakeFromA(seq: number, challengeEnrSeq: bigint): HandshakeAuthdata {
  const record = recordOfA(seq);
  const hs = initiateHandshake({
    localPrivateKey: aKey,
    localId: record.nodeId,
    remoteId: bId,
    remotePublicKey: getPublicKey(bKey, 'compressed'),
    challengeData,
    challengeEnrSeq,
    localRecord: record,
  });
  return decodeHandshakeAuthdata(hs.authdata);
}

const accept = (auth: HandshakeAuthdata, knownRecord?: Enr, decodeRecord?: (b: Uint8Array) => Enr) =>
  acceptHandshake({
    localPrivateKey: bKey,
    localId: bId,
    challengeData,
    auth,
    knownRecord,
    ...(decodeRecord ? { decodeRecord } : {}),
  });

describe('acceptHandshake', () => {
  it('takes the record from the packet when the sender is unknown', () => {
    const accepted = accept(handshakeFromA(3, 0n));
    expect(accepted.record.seq).toBe(3n);
    expect(accepted.recordUpdated).toBe(true);
  });

  it('takes the packet record only when it is newer than the known one', () => {
    const auth = handshakeFromA(3, 0n);
    const older = accept(auth, recordOfA(2));
    expect(older.record.seq).toBe(3n);
    expect(older.recordUpdated).toBe(true);
    const same = recordOfA(3);
    expect(accept(auth, same)).toMatchObject({ record: same, recordUpdated: false });
    const newer = recordOfA(4);
    expect(accept(auth, newer)).toMatchObject({ record: newer, recordUpdated: false });
  });

  it('uses the known record when the packet has none', () => {
    const known = recordOfA(3);
    const auth = handshakeFromA(3, 3n);
    expect(auth.record).toBeUndefined();
    expect(accept(auth, known)).toMatchObject({ record: known, recordUpdated: false });
  });

  it('rejects a handshake without record from an unknown node', () => {
    expect(() => accept(handshakeFromA(3, 3n))).toThrow(
      expect.objectContaining({ code: Discv5ErrorCode.BadHandshake }),
    );
  });

  it('rejects a known record of another node', () => {
    const other = Enr.create({ privateKey: generatePrivateKey(), seq: 9 });
    expect(() => accept(handshakeFromA(3, 3n), other)).toThrow(
      expect.objectContaining({ code: Discv5ErrorCode.BadHandshake }),
    );
  });

  it('rejects a packet record of another node', () => {
    const auth = {
      ...handshakeFromA(3, 0n),
      record: Enr.create({ privateKey: generatePrivateKey() }).encode(),
    };
    expect(() => accept(auth)).toThrow(expect.objectContaining({ code: Discv5ErrorCode.BadRecord }));
  });

  it('rejects a packet record that does not decode, keeping the cause', () => {
    const auth = { ...handshakeFromA(3, 0n), record: new Uint8Array([0xc0]) };
    const err = thrown(() => accept(auth));
    expect(err).toMatchObject({ code: Discv5ErrorCode.BadRecord });
    expect(err.cause).toMatchObject({ code: expect.any(String) });
  });

  it('passes on a decoder failure that is not a typed error', () => {
    const bug = new TypeError('decoder bug');
    const decode = () => {
      throw bug;
    };
    expect(() => accept(handshakeFromA(3, 0n), undefined, decode)).toThrow(bug);
  });

  it('rejects an id-signature that does not verify', () => {
    const auth = handshakeFromA(3, 0n);
    const sig = auth.idSignature.slice();
    sig[10]! ^= 1;
    expect(() => accept({ ...auth, idSignature: sig })).toThrow(
      expect.objectContaining({ code: Discv5ErrorCode.BadIdSignature }),
    );
  });

  it('rejects an uncompressed ephemeral key even with a matching signature', () => {
    const ephemeral = generatePrivateKey();
    const uncompressed = getPublicKey(ephemeral, 'uncompressed');
    expect(uncompressed).toHaveLength(65);
    const auth: HandshakeAuthdata = {
      ...handshakeFromA(3, 0n),
      ephemeralPublicKey: uncompressed,
      idSignature: signIdNonce(aKey, challengeData, uncompressed, bId),
    };
    expect(() => accept(auth)).toThrow(expect.objectContaining({ code: Discv5ErrorCode.BadHandshake }));
  });
});
