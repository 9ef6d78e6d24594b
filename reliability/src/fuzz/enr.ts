import { bytesToHex, bytesToNumber, bytesToUtf8, hexToBytes } from '@status-ts/core';
import {
  base64UrlDecode,
  base64UrlEncode,
  capabilitiesOf,
  decodeRecordRlp,
  Enr,
  parseEnode,
  parseIPv4,
  parseIPv6,
  parseNodeUrl,
  type RlpItem,
  rlpDecode,
  rlpDecodeFirst,
  rlpDecodeHeader,
  rlpToBigInt,
  rlpToBool,
  rlpToBytes,
  rlpToList,
  rlpToUint,
  rlpToUtf8,
  rolesOf,
} from '@status-ts/enr';
import fc from 'fast-check';
import { BASE64URL, HEX, rlpArb, rlpFrom, rlpItemArb, textFrom } from './arbitraries.js';
import { enodeArb, fixedKey, nodeUrlArb, recordBytesArb, recordTextArb } from './fixtures.js';
import { each, entry, type FuzzEntry, layer } from './harness.js';

const hexText = fc.uint8Array({ maxLength: 40 }).map((b) => `0x${bytesToHex(b)}`);

export const coreEntries: FuzzEntry[] = layer('core', [
  entry({
    name: 'hexToBytes',
    arbitrary: textFrom(hexText, HEX, 80),
    how: 'random text, edited 0x-hex',
    decode: (text) => hexToBytes(text),
  }),
  entry({
    name: 'bytesToUtf8',
    arbitrary: fc.uint8Array({ maxLength: 200 }),
    how: 'random bytes',
    decode: (bytes) => bytesToUtf8(bytes),
  }),
  entry({
    name: 'bytesToNumber',
    arbitrary: fc.uint8Array({ maxLength: 12 }),
    how: 'random big-endian bytes',
    decode: (bytes) => bytesToNumber(bytes),
  }),
]);

const signer = fixedKey('enr 1');
/** The typed RLP accessors every message decoder is built from. */
const accessors: ((item: RlpItem, width: number) => unknown)[] = [
  (item, width) => rlpToUint(item, Math.min(width, 6)),
  (item, width) => rlpToBigInt(item, width),
  (item) => rlpToBool(item),
  (item) => rlpToUtf8(item),
  (item, width) => rlpToList(item, width),
  (item, width) => rlpToBytes(item, width === 0 ? undefined : width * 4),
];
const ipv4Text = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));
const ipv6Text = fc.ipV6();

export const enrEntries: FuzzEntry[] = layer('enr', [
  entry({
    name: 'rlpDecode',
    arbitrary: fc.tuple(
      rlpFrom(rlpArb, 300),
      fc.constantFrom(undefined, { maxDepth: 2, maxItems: 8 }, { allowTrailing: true }),
    ),
    how: 'random bytes, random RLP trees, deep and huge-length RLP, mutated RLP; default, tight and trailing-bytes options',
    decode: ([bytes, options]) => rlpDecode(bytes, options),
  }),
  entry({
    name: 'rlpDecodeFirst',
    arbitrary: rlpFrom(rlpArb, 300),
    how: 'random bytes, random RLP trees, mutated RLP',
    decode: (bytes) => rlpDecodeFirst(bytes),
  }),
  entry({
    name: 'rlpDecodeHeader',
    arbitrary: fc.tuple(rlpFrom(rlpArb, 100), fc.integer({ min: -2, max: 120 })),
    how: 'random and mutated RLP at random offsets (also negative and past the end)',
    decode: ([bytes, offset]) => rlpDecodeHeader(bytes, offset),
  }),
  entry({
    name: 'rlpToUint / rlpToBigInt / rlpToBool / rlpToUtf8 / rlpToList / rlpToBytes',
    arbitrary: fc.tuple(rlpItemArb, fc.integer({ min: 0, max: 9 })),
    how: 'random RLP items, all six typed accessors on each with a random width or length limit (decoded = all six returned)',
    decode: ([item, width]) => each(accessors.map((read) => () => read(item, width))),
  }),
  entry({
    name: 'base64UrlDecode',
    arbitrary: textFrom(
      fc.uint8Array({ maxLength: 60 }).map((b) => base64UrlEncode(b)),
      BASE64URL,
      100,
    ),
    how: 'random text, edited base64url',
    decode: (text) => base64UrlDecode(text),
  }),
  entry({
    name: 'Enr.decode (RLP)',
    arbitrary: rlpFrom(recordBytesArb, 320),
    how: 'random bytes, random RLP, mutated signed records',
    decode: (bytes) => Enr.decode(bytes),
    slow: { share: 0.3, why: 'signature check per intact record' },
  }),
  entry({
    name: 'decodeRecordRlp',
    arbitrary: rlpFrom(recordBytesArb, 320),
    how: 'random bytes, random RLP, mutated signed records',
    decode: (bytes) => decodeRecordRlp(bytes),
  }),
  entry({
    name: 'Enr.decodeText',
    arbitrary: textFrom(recordTextArb, `${BASE64URL}:`, 200),
    how: 'random text, edited enr: texts',
    decode: (text) => Enr.decodeText(text),
    slow: { share: 0.3, why: 'signature check per intact record' },
  }),
  entry({
    name: 'parseEnode',
    arbitrary: fc.tuple(textFrom(enodeArb, `${HEX}@:[]?=&#/.-discport`, 200), fc.boolean()),
    how: 'random text, edited enode URLs (IPv4, IPv6, discport, key only, hostname), with and without allowHostname',
    decode: ([text, allowHostname]) => parseEnode(text, { allowHostname }),
  }),
  entry({
    name: 'parseNodeUrl',
    arbitrary: textFrom(nodeUrlArb, `${HEX}${BASE64URL}@:[]?=.`, 200),
    how: 'random text, edited enode URLs and enr: texts',
    decode: (text) => parseNodeUrl(text),
    slow: { share: 0.5, why: 'signature check per intact record' },
  }),
  entry({
    name: 'parseIPv4 / parseIPv6',
    arbitrary: textFrom(fc.oneof(ipv4Text, ipv6Text), '0123456789abcdef:.%[]', 60),
    how: 'random text, edited IPv4 and IPv6 addresses',
    decode: (text) => each([() => parseIPv4(text), () => parseIPv6(text)]),
  }),
  entry({
    name: 'rolesOf / capabilitiesOf (signed record, random status and caps values)',
    arbitrary: fc.tuple(rlpItemArb, rlpItemArb),
    how: 'a record signed per case with random RLP as its status and caps entries',
    decode: ([status, caps]) => {
      const record = Enr.create({ privateKey: signer, entries: { status, caps }, maxSize: 2_000 });
      // As received: decoded from the wire with a size limit large enough for the random entries.
      const received = Enr.decode(record.encode(), { maxSize: 2_000 });
      return [rolesOf(received), capabilitiesOf(received)];
    },
    slow: { share: 0.2, why: 'signing and verifying a record per case' },
  }),
]);
