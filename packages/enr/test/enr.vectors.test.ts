import { bytesToHex, hexToBytes } from '@status-ts/core';
import { describe, expect, it } from 'vitest';
import { readVectors } from '../../../tools/vectors.js';
import { decodeRecordRlp, Enr, EnrError, rlpDecode } from '../src/index.js';
import { errorOf } from './error-of.js';

/** vectors/enr.json: EIP-778 example, go-ethereum and ChainSafe cases (see its sources block). */
const vectors = readVectors('enr.json');
const spec = vectors.spec_example;
const geth = vectors.geth_cases;
const chainsafe = vectors.chainsafe_cases;

describe('EIP-778 example record (ENR-07)', () => {
  it('decodes and verifies', () => {
    const enr = Enr.decodeText(spec.text);
    expect(enr.verify()).toBe(true);
    expect(enr.seq).toBe(BigInt(spec.seq));
    expect(enr.nodeIdHex).toBe(spec.node_id);
    expect(bytesToHex(enr.publicKey)).toBe(spec.pairs.secp256k1);
    expect(bytesToHex(enr.signature)).toBe(spec.signature);
    expect(enr.id).toBe('v4');
    expect(enr.ip).toBe('127.0.0.1');
    expect(enr.udp).toBe(30303);
    expect(enr.tcp).toBeUndefined();
    expect(enr.keys()).toEqual(['id', 'ip', 'secp256k1', 'udp']);
    expect(bytesToHex(enr.encode())).toBe(spec.rlp_hex);
    expect(enr.encodeText()).toBe(spec.text);
  });

  it('decodes from the RLP form to the same record', () => {
    const enr = Enr.decode(hexToBytes(spec.rlp_hex));
    expect(enr.encodeText()).toBe(spec.text);
    expect(enr.equals(Enr.decodeText(spec.text))).toBe(true);
  });

  it('signs the content the vector file records (computed regression value)', () => {
    const content = decodeRecordRlp(hexToBytes(spec.rlp_hex));
    expect(bytesToHex(content.signedContent)).toBe(spec.signed_content_rlp_computed);
  });

  it('is reproduced byte for byte from its private key (RFC 6979)', () => {
    const enr = Enr.create({
      privateKey: hexToBytes(spec.private_key),
      seq: spec.seq,
      ip: '127.0.0.1',
      udp: 30303,
    });
    expect(enr.encodeText()).toBe(spec.text);
    expect(bytesToHex(enr.encode())).toBe(spec.rlp_hex);
    expect(enr.nodeIdHex).toBe(spec.node_id);
  });
});

describe('go-ethereum parse cases', () => {
  it('valid record with seq 99 decodes and is reproduced from its key', () => {
    const c = geth.valid_seq99;
    const enr = Enr.decodeText(c.input);
    expect(enr.seq).toBe(BigInt(c.want.seq));
    expect(enr.ip).toBe(c.want.ip);
    expect(enr.udp).toBe(c.want.udp);
    expect(bytesToHex(enr.publicKey)).toBe(c.want.secp256k1);
    expect(enr.nodeIdHex).toBe(c.node_id_computed);
    const rebuilt = Enr.create({
      privateKey: hexToBytes(c.private_key),
      seq: 99,
      ip: c.want.ip,
      udp: c.want.udp,
    });
    expect(rebuilt.encodeText()).toBe(c.input);
  });

  it('rejects the invalid signature, the empty body and bad base64 with typed errors', () => {
    expect(errorOf(() => Enr.decodeText(geth.invalid_signature.input)).code).toBe('ERR_ENR_BAD_SIGNATURE');
    expect(errorOf(() => Enr.decodeText(geth.empty_body.input)).code).toBe('ERR_RLP_TRUNCATED');
    expect(errorOf(() => Enr.decodeText(geth.bad_base64.input)).code).toBe('ERR_ENR_INVALID_BASE64');
  });

  const expectedCode: Record<string, string> = {
    'record contains less than two list elements': 'ERR_ENR_INCOMPLETE_LIST',
    'record contains incomplete k/v pair': 'ERR_ENR_INCOMPLETE_PAIR',
  };
  it.each(geth.incomplete_rlp.cases as Array<{ rlp: string; error: string | null }>)(
    'TestDecodeIncomplete $rlp -> $error',
    ({ rlp, error }) => {
      const bytes = hexToBytes(rlp);
      if (error === null) {
        const content = decodeRecordRlp(bytes);
        const list = rlpDecode(bytes) as Uint8Array[];
        expect(content.signature).toEqual(list[0]);
        expect(content.pairs.length).toBe((list.length - 2) / 2);
        // Structurally fine, but not a v4 record: the full decoder still refuses it.
        expect(errorOf(() => Enr.decode(bytes))).toBeInstanceOf(EnrError);
      } else {
        expect(errorOf(() => decodeRecordRlp(bytes)).code).toBe(expectedCode[error]);
        expect(errorOf(() => Enr.decode(bytes)).code).toBe(expectedCode[error]);
      }
    },
  );
});

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
function base58btc(bytes: Uint8Array): string {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  let out = '';
  while (n > 0n) {
    out = BASE58[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = `1${out}`;
  }
  return out;
}

describe('ChainSafe cases', () => {
  it('eth2 record: verifies and keeps the eth2 value', () => {
    const enr = Enr.decodeText(chainsafe.eth2_valid.input);
    expect(bytesToHex(enr.getBytes('eth2')!)).toBe(chainsafe.eth2_valid.want.eth2);
    expect(enr.encodeText()).toBe(chainsafe.eth2_valid.input);
  });

  it('libp2p peer id derived from the record key', () => {
    const enr = Enr.decodeText(chainsafe.peerid_valid.input);
    // identity multihash of the protobuf-wrapped secp256k1 key (prefix given in the vector note)
    const id = base58btc(new Uint8Array([0x00, 0x25, 0x08, 0x02, 0x12, 0x21, ...enr.publicKey]));
    expect(id).toBe(chainsafe.peerid_valid.want.libp2p_peer_id);
  });

  it.each(['no_id', 'no_pubkey', 'fuzz_bad_signature', 'fuzz_bad_seq'])('%s is rejected', (name) => {
    expect(chainsafe[name].want).toBe('reject');
    const err = errorOf(() => Enr.decodeText(chainsafe[name].input));
    expect(err).toBeInstanceOf(EnrError);
    expect(err.code).toMatch(/^ERR_(ENR|RLP)_/);
  });
});
