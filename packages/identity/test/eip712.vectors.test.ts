import { bytesToHex, hexToBytes, utf8ToBytes } from '@status-ts/core';
import { keccak256 } from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import {
  encodeData,
  encodeType,
  hashDomain,
  hashStruct,
  hashType,
  hashTypedData,
  recoverTypedDataAddress,
  signTypedData,
  type TypedData,
  toChecksumAddress,
} from '../src/index.js';
import { loadVectors } from './load-vectors.js';

const eips = loadVectors('eips.json');
const hex = (bytes: Uint8Array) => `0x${bytesToHex(bytes)}`;
const cow = keccak256(utf8ToBytes('cow'));

describe('EIP-712 Mail example (EIP text, assets/eip-712/Example.js)', () => {
  const v = eips.eip712Mail;
  const data = v.typedData as TypedData;

  it('encodeType and typeHash', () => {
    expect(encodeType(data.types, 'Mail')).toBe(v.encodeType);
    expect(hex(hashType(data.types, 'Mail'))).toBe(v.typeHash);
  });

  it('encodeData and hashStruct of the message', () => {
    expect(hex(encodeData(data.types, 'Mail', data.message))).toBe(v.encodeData);
    expect(hex(hashStruct(data.types, 'Mail', data.message))).toBe(v.hashStruct);
  });

  it('domain separator, with or without an EIP712Domain type', () => {
    expect(hex(hashDomain(data.domain, data.types))).toBe(v.domainSeparator);
    expect(hex(hashDomain(data.domain))).toBe(v.domainSeparator);
  });

  it('digest 0xbe609aee…', () => {
    expect(hex(hashTypedData(data))).toBe(v.digest);
    const { EIP712Domain: _, ...withoutDomainType } = data.types;
    expect(hex(hashTypedData({ ...data, types: withoutDomainType }))).toBe(v.digest);
  });

  it("signature with keccak256('cow') (v = 28) and recovery", () => {
    expect(hex(signTypedData(data, cow))).toBe(v.signature);
    expect(recoverTypedDataAddress(data, hexToBytes(v.signature))).toBe(toChecksumAddress(v.signer));
  });

  it('native values hash like their JSON forms', () => {
    const native: TypedData = {
      ...data,
      domain: {
        ...data.domain,
        chainId: 1n,
        verifyingContract: hexToBytes(data.domain.verifyingContract as string),
      },
    };
    expect(hex(hashTypedData(native))).toBe(v.digest);
    expect(hex(hashTypedData({ ...data, domain: { ...data.domain, chainId: '0x1' } }))).toBe(v.digest);
    expect(hex(hashTypedData({ ...data, domain: { ...data.domain, chainId: '1' } }))).toBe(v.digest);
  });
});

describe('EIP-712 arrays (MetaMask eth-sig-util signedTypeData, v4)', () => {
  const v = eips.eip712MailWithArrays;
  const data = v.typedData as TypedData;
  const message = data.message as { from: Record<string, unknown>; to: Record<string, unknown>[] };

  it('Person with address[]', () => {
    expect(encodeType(data.types, 'Person')).toBe(v.personEncodeType);
    expect(hex(hashType(data.types, 'Person'))).toBe(v.personTypeHash);
    expect(hex(encodeData(data.types, 'Person', message.from))).toBe(v.fromEncodeData);
    expect(hex(hashStruct(data.types, 'Person', message.from))).toBe(v.fromHashStruct);
    expect(hex(encodeData(data.types, 'Person', message.to[0]!))).toBe(v.toEncodeData);
    expect(hex(hashStruct(data.types, 'Person', message.to[0]!))).toBe(v.toHashStruct);
  });

  it('Mail with Person[]', () => {
    expect(encodeType(data.types, 'Mail')).toBe(v.mailEncodeType);
    expect(hex(hashType(data.types, 'Mail'))).toBe(v.mailTypeHash);
    expect(hex(encodeData(data.types, 'Mail', data.message))).toBe(v.mailEncodeData);
    expect(hex(hashStruct(data.types, 'Mail', data.message))).toBe(v.mailHashStruct);
  });

  it('domain separator, digest and signature', () => {
    expect(hex(hashDomain(data.domain, data.types))).toBe(v.domainSeparator);
    expect(hex(hashTypedData(data))).toBe(v.digest);
    expect(hex(signTypedData(data, cow))).toBe(v.signature);
  });
});

describe('status-go services/typeddata TestTypeString', () => {
  for (const c of eips.statusGoTypeString.cases) {
    it(c.description, () => {
      expect(encodeType(c.types, c.target)).toBe(c.typeString);
    });
  }
});
