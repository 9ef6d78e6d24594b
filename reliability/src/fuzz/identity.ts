import { bytesToHex } from '@status-ts/core';
import { getPublicKey } from '@status-ts/crypto';
import {
  compressPublicKeyText,
  decompressPublicKeyText,
  derivePath,
  entropyToMnemonic,
  hashTypedData,
  isThreeWordName,
  mnemonicToEntropy,
  normalizeMnemonic,
  parseAddress,
  parseMnemonic,
  parsePublicKey,
  privateKeyToAddress,
  publicKeyToMultibase,
  recoverPersonalMessageAddress,
  seedToRoot,
  signPersonalMessage,
  type TypedData,
  threeWordName,
  toChecksumAddress,
  validateMnemonic,
} from '@status-ts/identity';
import fc from 'fast-check';
import { BASE58, bytesFrom, HEX, jsonValueFrom, mutatedText, pool, textFrom } from './arbitraries.js';
import { fixedKey } from './fixtures.js';
import { each, entry, type FuzzEntry, layer } from './harness.js';

const key = fixedKey('identity 1');
const keyTexts = [
  `0x${bytesToHex(getPublicKey(key))}`,
  `0x${bytesToHex(getPublicKey(key, 'compressed'))}`,
  bytesToHex(getPublicKey(key)),
  publicKeyToMultibase(getPublicKey(key)),
  publicKeyToMultibase(getPublicKey(key), { encoding: 'f' }),
  publicKeyToMultibase(getPublicKey(key, 'compressed'), { encoding: 'b' }),
  publicKeyToMultibase(getPublicKey(key), { encoding: 'm' }),
  `0x${publicKeyToMultibase(getPublicKey(key, 'compressed'), { encoding: 'f' }).slice(1)}`,
];
const keyTextArb = textFrom(fc.constantFrom(...keyTexts), `${HEX}${BASE58}zfbmuQ3sh+/=`, 200);

/** Valid phrases of every length (a pool: building a phrase costs a hash), then word-level edits. */
const phrases = [16, 20, 24, 28, 32].flatMap((n) =>
  [0, 1, 2, 0xff].map((fill, i) =>
    entropyToMnemonic(new Uint8Array(n).map((_, j) => (fill + i * j * 37) & 0xff)),
  ),
);
const words = [...new Set(phrases.flatMap((p) => p.split(' ')))];
const phraseArb = fc.constantFrom(...phrases);
const separators = [' ', '  ', '\t', '\u3000', '\n'];
/** Words swapped, dropped, replaced by other list words, re-cased, inserted; odd separators. */
const wordEditedPhrase = fc
  .tuple(
    phraseArb,
    fc.array(fc.record({ op: fc.nat(4), at: fc.nat(), pick: fc.nat() }), { minLength: 1, maxLength: 3 }),
    fc.nat(separators.length - 1),
  )
  .map(([phrase, edits, sep]) => {
    const out = phrase.split(' ');
    for (const { op, at, pick } of edits) {
      const i = at % out.length;
      const word = words[pick % words.length]!;
      if (op === 0) out[i] = word;
      else if (op === 1) out.splice(i, 1);
      else if (op === 2) [out[i], out[pick % out.length]] = [out[pick % out.length]!, out[i]!];
      else if (op === 3) out[i] = out[i]!.toUpperCase();
      else out.splice(i, 0, word);
    }
    return out.join(separators[sep]);
  });
const mnemonicTextArb = fc.oneof(
  { arbitrary: fc.string({ maxLength: 200, unit: 'binary' }), weight: 1 },
  { arbitrary: wordEditedPhrase, weight: 3 },
  { arbitrary: mutatedText(phraseArb, 'abcdefghijklmnopqrstuvwxyz \u3000\u00e9'), weight: 2 },
  { arbitrary: phraseArb, weight: 1 },
);

const address = privateKeyToAddress(key);
/** The EIP-712 example (Mail), as a dapp sends it. */
const mail: TypedData = {
  types: {
    EIP712Domain: [
      { name: 'name', type: 'string' },
      { name: 'version', type: 'string' },
      { name: 'chainId', type: 'uint256' },
      { name: 'verifyingContract', type: 'address' },
    ],
    Person: [
      { name: 'name', type: 'string' },
      { name: 'wallet', type: 'address' },
    ],
    Mail: [
      { name: 'from', type: 'Person' },
      { name: 'to', type: 'Person[]' },
      { name: 'contents', type: 'string' },
      { name: 'tags', type: 'bytes32[2]' },
      { name: 'amount', type: 'int8' },
    ],
  },
  primaryType: 'Mail',
  domain: {
    name: 'Ether Mail',
    version: '1',
    chainId: 1,
    verifyingContract: '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC',
  },
  message: {
    from: { name: 'Cow', wallet: '0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826' },
    to: [{ name: 'Bob', wallet: address }],
    contents: 'Hello, Bob!',
    tags: [`0x${'11'.repeat(32)}`, `0x${'22'.repeat(32)}`],
    amount: -5,
  },
};
const personalSignature = signPersonalMessage('hello', key);
const root = seedToRoot(new Uint8Array(64).fill(1));

export const identityEntries: FuzzEntry[] = layer('identity', [
  entry({
    name: 'parsePublicKey (key text)',
    arbitrary: keyTextArb,
    how: 'random text, edited hex, multibase z/f/0x keys (compressed and uncompressed)',
    decode: (text) => parsePublicKey(text),
    slow: { share: 0.5, why: 'secp256k1 point decompression per well-formed key' },
  }),
  entry({
    name: 'compressPublicKeyText',
    arbitrary: keyTextArb,
    how: 'random text, edited key texts',
    decode: (text) => compressPublicKeyText(text),
    slow: { share: 0.5, why: 'secp256k1 point decompression per well-formed key' },
  }),
  entry({
    name: 'decompressPublicKeyText',
    arbitrary: keyTextArb,
    how: 'random text, edited key texts',
    decode: (text) => decompressPublicKeyText(text),
    slow: { share: 0.5, why: 'secp256k1 point decompression per well-formed key' },
  }),
  entry({
    name: 'threeWordName (key text) / isThreeWordName',
    arbitrary: keyTextArb,
    how: 'random text, edited key texts',
    decode: (text) => each([() => isThreeWordName(text), () => threeWordName(text)]),
    slow: { share: 0.5, why: 'secp256k1 point decompression per well-formed key' },
  }),
  entry({
    name: 'parseMnemonic',
    arbitrary: mnemonicTextArb,
    how: 'random text, valid 12-24 word phrases with word and character edits',
    decode: (text) => parseMnemonic(text),
  }),
  entry({
    name: 'mnemonicToEntropy',
    arbitrary: mnemonicTextArb,
    how: 'random text, valid phrases with word and character edits',
    decode: (text) => mnemonicToEntropy(text),
  }),
  entry({
    name: 'normalizeMnemonic / validateMnemonic',
    arbitrary: mnemonicTextArb,
    how: 'random text, valid phrases with word and character edits',
    decode: (text) => each([() => normalizeMnemonic(text), () => validateMnemonic(text)]),
  }),
  entry({
    name: 'parseAddress / toChecksumAddress',
    arbitrary: textFrom(fc.constantFrom(address, address.toLowerCase(), address.slice(2)), HEX, 60),
    how: 'random text, edited checksummed, lower-case and unprefixed addresses',
    decode: (text) => each([() => parseAddress(text), () => toChecksumAddress(text)]),
  }),
  entry({
    name: 'hashTypedData (EIP-712 JSON from a dapp)',
    arbitrary: jsonValueFrom(fc.constant(mail)),
    how: 'random JSON values and the EIP-712 Mail example with one node replaced by random JSON',
    decode: (typedData) => hashTypedData(typedData as TypedData),
  }),
  entry({
    name: 'recoverPersonalMessageAddress',
    arbitrary: fc.tuple(bytesFrom(pool([personalSignature]), 80), fc.constantFrom('hello', '')),
    how: 'random and edited signatures (legacy v) over a personal message',
    decode: ([signature, message]) => recoverPersonalMessageAddress(message, signature),
    slow: { share: 0.5, why: 'signature recovery per 65-byte signature' },
  }),
  entry({
    name: 'derivePath (path text)',
    arbitrary: textFrom(
      fc.constantFrom("m/44'/60'/0'/0/0", "m/43'/60'/1581'/0'/0", 'm/0', 'm'),
      "m/'0123456789h ",
      60,
    ),
    how: 'random text, edited BIP32 paths',
    decode: (text) => derivePath(root, text),
    slow: { share: 0.15, why: 'one EC multiplication per derived level' },
  }),
]);
