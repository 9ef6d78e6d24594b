import { createBase58check } from '@scure/base';
import { hexToBytes } from '@status-ts/core';
import { sha256 } from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import {
  derivePath,
  EXTENDED_KEY_VERSIONS,
  IdentityErrorCode,
  keyPairOf,
  MAX_EXTENDED_KEY_TEXT_LENGTH,
  parseExtendedKey,
  seedToRoot,
  toExtendedKey,
} from '../src/index.js';
import { loadVectors, thrown } from './load-vectors.js';

interface Bip32Vector {
  name: string;
  seed: string;
  chains: { path: string; xpub: string; xprv: string }[];
}

// Vectors 1 and 2 come from test/vectors/bip32.json; 3 to 5 are copied below from bitcoin/bips
// bip-0032.mediawiki at commit c0644a054fd1568ecbfc9c2b656ad5200b16ff74 (the commit bip32.json cites).
const VECTORS_3_AND_4: Bip32Vector[] = [
  {
    name: 'Test vector 3',
    seed: '4b381541583be4423346c643850da4b320e46a87ae3d2a4e6da11eba819cd4acba45d239319ac14f863b8d5ab5a0d0c64d2e8a1e7d1457df2e5a3c51c73235be',
    chains: [
      {
        path: 'm',
        xpub: 'xpub661MyMwAqRbcEZVB4dScxMAdx6d4nFc9nvyvH3v4gJL378CSRZiYmhRoP7mBy6gSPSCYk6SzXPTf3ND1cZAceL7SfJ1Z3GC8vBgp2epUt13',
        xprv: 'xprv9s21ZrQH143K25QhxbucbDDuQ4naNntJRi4KUfWT7xo4EKsHt2QJDu7KXp1A3u7Bi1j8ph3EGsZ9Xvz9dGuVrtHHs7pXeTzjuxBrCmmhgC6',
      },
      {
        path: "m/0'",
        xpub: 'xpub68NZiKmJWnxxS6aaHmn81bvJeTESw724CRDs6HbuccFQN9Ku14VQrADWgqbhhTHBaohPX4CjNLf9fq9MYo6oDaPPLPxSb7gwQN3ih19Zm4Y',
        xprv: 'xprv9uPDJpEQgRQfDcW7BkF7eTya6RPxXeJCqCJGHuCJ4GiRVLzkTXBAJMu2qaMWPrS7AANYqdq6vcBcBUdJCVVFceUvJFjaPdGZ2y9WACViL4L',
      },
    ],
  },
  {
    name: 'Test vector 4',
    seed: '3ddd5602285899a946114506157c7997e5444528f3003f6134712147db19b678',
    chains: [
      {
        path: 'm',
        xpub: 'xpub661MyMwAqRbcGczjuMoRm6dXaLDEhW1u34gKenbeYqAix21mdUKJyuyu5F1rzYGVxyL6tmgBUAEPrEz92mBXjByMRiJdba9wpnN37RLLAXa',
        xprv: 'xprv9s21ZrQH143K48vGoLGRPxgo2JNkJ3J3fqkirQC2zVdk5Dgd5w14S7fRDyHH4dWNHUgkvsvNDCkvAwcSHNAQwhwgNMgZhLtQC63zxwhQmRv',
      },
      {
        path: "m/0'",
        xpub: 'xpub69AUMk3qDBi3uW1sXgjCmVjJ2G6WQoYSnNHyzkmdCHEhSZ4tBok37xfFEqHd2AddP56Tqp4o56AePAgCjYdvpW2PU2jbUPFKsav5ut6Ch1m',
        xprv: 'xprv9vB7xEWwNp9kh1wQRfCCQMnZUEG21LpbR9NPCNN1dwhiZkjjeGRnaALmPXCX7SgjFTiCTT6bXes17boXtjq3xLpcDjzEuGLQBM5ohqkao9G',
      },
      {
        path: "m/0'/1'",
        xpub: 'xpub6BJA1jSqiukeaesWfxe6sNK9CCGaujFFSJLomWHprUL9DePQ4JDkM5d88n49sMGJxrhpjazuXYWdMf17C9T5XnxkopaeS7jGk1GyyVziaMt',
        xprv: 'xprv9xJocDuwtYCMNAo3Zw76WENQeAS6WGXQ55RCy7tDJ8oALr4FWkuVoHJeHVAcAqiZLE7Je3vZJHxspZdFHfnBEjHqU5hG1Jaj32dVoS6XLT1',
      },
    ],
  },
];

/** Test vector 5: each key with the BIP's comment and the `reason` our error reports for it. */
const VECTOR_5: { key: string; comment: string; reason: string }[] = [
  {
    key: 'xpub661MyMwAqRbcEYS8w7XLSVeEsBXy79zSzH1J8vCdxAZningWLdN3zgtU6LBpB85b3D2yc8sfvZU521AAwdZafEz7mnzBBsz4wKY5fTtTQBm',
    comment: 'pubkey version / prvkey mismatch',
    reason: 'version-mismatch',
  },
  {
    key: 'xprv9s21ZrQH143K24Mfq5zL5MhWK9hUhhGbd45hLXo2Pq2oqzMMo63oStZzFGTQQD3dC4H2D5GBj7vWvSQaaBv5cxi9gafk7NF3pnBju6dwKvH',
    comment: 'prvkey version / pubkey mismatch',
    reason: 'version-mismatch',
  },
  {
    key: 'xpub661MyMwAqRbcEYS8w7XLSVeEsBXy79zSzH1J8vCdxAZningWLdN3zgtU6Txnt3siSujt9RCVYsx4qHZGc62TG4McvMGcAUjeuwZdduYEvFn',
    comment: 'invalid pubkey prefix 04',
    reason: 'key-prefix',
  },
  {
    key: 'xprv9s21ZrQH143K24Mfq5zL5MhWK9hUhhGbd45hLXo2Pq2oqzMMo63oStZzFGpWnsj83BHtEy5Zt8CcDr1UiRXuWCmTQLxEK9vbz5gPstX92JQ',
    comment: 'invalid prvkey prefix 04',
    reason: 'key-prefix',
  },
  {
    key: 'xpub661MyMwAqRbcEYS8w7XLSVeEsBXy79zSzH1J8vCdxAZningWLdN3zgtU6N8ZMMXctdiCjxTNq964yKkwrkBJJwpzZS4HS2fxvyYUA4q2Xe4',
    comment: 'invalid pubkey prefix 01',
    reason: 'key-prefix',
  },
  {
    key: 'xprv9s21ZrQH143K24Mfq5zL5MhWK9hUhhGbd45hLXo2Pq2oqzMMo63oStZzFAzHGBP2UuGCqWLTAPLcMtD9y5gkZ6Eq3Rjuahrv17fEQ3Qen6J',
    comment: 'invalid prvkey prefix 01',
    reason: 'key-prefix',
  },
  {
    key: 'xprv9s2SPatNQ9Vc6GTbVMFPFo7jsaZySyzk7L8n2uqKXJen3KUmvQNTuLh3fhZMBoG3G4ZW1N2kZuHEPY53qmbZzCHshoQnNf4GvELZfqTUrcv',
    comment: 'zero depth with non-zero parent fingerprint',
    reason: 'parent-fingerprint',
  },
  {
    key: 'xpub661no6RGEX3uJkY4bNnPcw4URcQTrSibUZ4NqJEw5eBkv7ovTwgiT91XX27VbEXGENhYRCf7hyEbWrR3FewATdCEebj6znwMfQkhRYHRLpJ',
    comment: 'zero depth with non-zero parent fingerprint',
    reason: 'parent-fingerprint',
  },
  {
    key: 'xprv9s21ZrQH4r4TsiLvyLXqM9P7k1K3EYhA1kkD6xuquB5i39AU8KF42acDyL3qsDbU9NmZn6MsGSUYZEsuoePmjzsB3eFKSUEh3Gu1N3cqVUN',
    comment: 'zero depth with non-zero index',
    reason: 'child-number',
  },
  {
    key: 'xpub661MyMwAuDcm6CRQ5N4qiHKrJ39Xe1R1NyfouMKTTWcguwVcfrZJaNvhpebzGerh7gucBvzEQWRugZDuDXjNDRmXzSZe4c7mnTK97pTvGS8',
    comment: 'zero depth with non-zero index',
    reason: 'child-number',
  },
  {
    key: 'DMwo58pR1QLEFihHiXPVykYB6fJmsTeHvyTp7hRThAtCX8CvYzgPcn8XnmdfHGMQzT7ayAmfo4z3gY5KfbrZWZ6St24UVf2Qgo6oujFktLHdHY4',
    comment: 'unknown extended key version',
    reason: 'version',
  },
  {
    key: 'DMwo58pR1QLEFihHiXPVykYB6fJmsTeHvyTp7hRThAtCX8CvYzgPcn8XnmdfHPmHJiEDXkTiJTVV9rHEBUem2mwVbbNfvT2MTcAqj3nesx8uBf9',
    comment: 'unknown extended key version',
    reason: 'version',
  },
  {
    key: 'xprv9s21ZrQH143K24Mfq5zL5MhWK9hUhhGbd45hLXo2Pq2oqzMMo63oStZzF93Y5wvzdUayhgkkFoicQZcP3y52uPPxFnfoLZB21Teqt1VvEHx',
    comment: 'private key 0 not in 1..n-1',
    reason: 'private-key',
  },
  {
    key: 'xprv9s21ZrQH143K24Mfq5zL5MhWK9hUhhGbd45hLXo2Pq2oqzMMo63oStZzFAzHGBP2UuGCqWLTAPLcMtD5SDKr24z3aiUvKr9bJpdrcLg1y3G',
    comment: 'private key n not in 1..n-1',
    reason: 'private-key',
  },
  {
    key: 'xpub661MyMwAqRbcEYS8w7XLSVeEsBXy79zSzH1J8vCdxAZningWLdN3zgtU6Q5JXayek4PRsn35jii4veMimro1xefsM58PgBMrvdYre8QyULY',
    comment: 'invalid pubkey 020000000000000000000000000000000000000000000000000000000000000007',
    reason: 'public-key',
  },
  {
    key: 'xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHL',
    comment: 'invalid checksum',
    reason: 'checksum',
  },
];

const vectors = [...loadVectors<{ vectors: Bip32Vector[] }>('bip32.json').vectors, ...VECTORS_3_AND_4];

describe('BIP32 test vectors 1 to 4: xprv/xpub serialized exactly and parsed back', () => {
  for (const vector of vectors) {
    const root = seedToRoot(hexToBytes(vector.seed));
    for (const chain of vector.chains) {
      it(`${vector.name}, chain ${chain.path}`, () => {
        const node = derivePath(root, chain.path);
        expect(toExtendedKey(node, 'private')).toBe(chain.xprv);
        expect(toExtendedKey(node, 'public')).toBe(chain.xpub);

        const priv = parseExtendedKey(chain.xprv);
        expect(priv.privateKey).toEqual(node.privateKey);
        expect(priv.depth).toBe(node.depth);
        expect(priv.index).toBe(node.index);
        expect(priv.parentFingerprint).toBe(node.parentFingerprint);
        expect(toExtendedKey(priv, 'private')).toBe(chain.xprv);
        expect(toExtendedKey(priv, 'public')).toBe(chain.xpub);

        const pub = parseExtendedKey(chain.xpub);
        expect(pub.privateKey).toBeNull();
        expect(pub.publicKey).toEqual(node.publicKey);
        expect(toExtendedKey(pub, 'public')).toBe(chain.xpub);
      });
    }
  }
});

describe('BIP32 test vector 5: invalid extended keys are rejected with a typed error', () => {
  for (const { key, comment, reason } of VECTOR_5) {
    it(`${comment}: ${key.slice(0, 16)}…`, () => {
      const err = thrown(() => parseExtendedKey(key));
      expect(err.code).toBe(IdentityErrorCode.InvalidExtendedKey);
      expect(err.details.reason).toBe(reason);
    });
  }
});

describe('parsed nodes work with the derivation functions', () => {
  const [v1, v2] = vectors as [Bip32Vector, Bip32Vector];

  it('a parsed master xprv derives the same chain as the seed', () => {
    const root = parseExtendedKey(v1.chains[0]?.xprv ?? '');
    const last = v1.chains[v1.chains.length - 1];
    expect(toExtendedKey(derivePath(root, last?.path ?? ''), 'private')).toBe(last?.xprv);
    expect(keyPairOf(root).privateKey).toEqual(seedToRoot(hexToBytes(v1.seed)).privateKey);
  });

  it('a parsed master xpub derives non-hardened children (vector 2, m -> m/0)', () => {
    const root = parseExtendedKey(v2.chains[0]?.xpub ?? '');
    expect(toExtendedKey(derivePath(root, 'm/0'), 'public')).toBe(v2.chains[1]?.xpub);
  });

  it('a parsed deeper xpub derives non-hardened children (vector 1, m/0H/1/2H -> /2)', () => {
    const node = parseExtendedKey(v1.chains[3]?.xpub ?? '');
    expect(toExtendedKey(node.deriveChild(2), 'public')).toBe(v1.chains[4]?.xpub);
  });

  it('a public-only node refuses hardened steps and private serialization', () => {
    const root = parseExtendedKey(v1.chains[0]?.xpub ?? '');
    expect(thrown(() => derivePath(root, "m/0'")).code).toBe(IdentityErrorCode.InvalidPath);
    const err = thrown(() => toExtendedKey(root, 'private'));
    expect(err.code).toBe(IdentityErrorCode.InvalidExtendedKey);
    expect(err.details.reason).toBe('no-private-key');
    expect(thrown(() => keyPairOf(root)).code).toBe(IdentityErrorCode.InvalidPath);
  });
});

describe('parseExtendedKey input checks', () => {
  const xprv = vectors[0]?.chains[0]?.xprv ?? '';

  it('uses the BIP32 mainnet version bytes', () => {
    expect(EXTENDED_KEY_VERSIONS).toEqual({ private: 0x0488ade4, public: 0x0488b21e });
  });

  it(`rejects text longer than MAX_EXTENDED_KEY_TEXT_LENGTH (${MAX_EXTENDED_KEY_TEXT_LENGTH}) before decoding`, () => {
    const err = thrown(() => parseExtendedKey('1'.repeat(MAX_EXTENDED_KEY_TEXT_LENGTH + 1)));
    expect(err.code).toBe(IdentityErrorCode.InvalidExtendedKey);
    expect(err.details.reason).toBe('too-long');
    // A key of exactly the limit is still looked at (and rejected for what it is).
    expect(thrown(() => parseExtendedKey('1'.repeat(MAX_EXTENDED_KEY_TEXT_LENGTH))).details.reason).not.toBe(
      'too-long',
    );
  });

  it('maxLength overrides the limit and is validated', () => {
    expect(thrown(() => parseExtendedKey(xprv, { maxLength: 110 })).details.reason).toBe('too-long');
    expect(toExtendedKey(parseExtendedKey(xprv, { maxLength: 111 }), 'private')).toBe(xprv);
    for (const maxLength of [0, -1, 1.5, Number.NaN]) {
      const err = thrown(() => parseExtendedKey(xprv, { maxLength }));
      expect(err.code).toBe(IdentityErrorCode.InvalidExtendedKey);
      expect(err.details.reason).toBe('max-length-option');
    }
  });

  it('rejects non-Base58 text, short payloads, wrong lengths and non-strings', () => {
    expect(thrown(() => parseExtendedKey(`${xprv.slice(0, -1)}0`)).details.reason).toBe('encoding');
    expect(thrown(() => parseExtendedKey('')).details.reason).toBe('length');
    expect(thrown(() => parseExtendedKey('111')).details.reason).toBe('length');
    // Valid Base58Check text of 77 and 79 bytes: the checksum passes, the length does not.
    const check = createBase58check(sha256);
    const payload = check.decode(xprv);
    expect(thrown(() => parseExtendedKey(check.encode(payload.slice(0, 77)))).details.reason).toBe('length');
    const longer = check.encode(Uint8Array.from([...payload, 0]));
    expect(thrown(() => parseExtendedKey(longer)).details.reason).toBe('length');
    expect(thrown(() => parseExtendedKey(42 as unknown as string)).details.reason).toBe('not-a-string');
  });
});
