import { bytesToHex, utf8ToBytes } from '@status-ts/core';
import { getPublicKey, keccak256 } from '@status-ts/crypto';
import { Enr, formatEnode } from '@status-ts/enr';
import fc from 'fast-check';

// Valid inputs several layers start from: signed records, their text forms and enode URLs. Built once per
// process (signing per case would dominate the run time).

/**
 * A private key derived from a label: fixtures are the same in every run, so a reported FUZZ_SEED replays
 * the same inputs (except where encryption draws its own randomness: ECIES, AES-GCM nonces, padding).
 */
export function fixedKey(label: string): Uint8Array {
  return keccak256(utf8ToBytes(`status-ts reliability fuzz: ${label}`));
}

export const nodeKeys = [0, 1, 2, 3].map((i) => fixedKey(`node ${i}`));

/** Records with the fields Status nodes advertise: IPv4/IPv6 endpoints, roles, capabilities, big seq. */
export const records: Enr[] = [
  Enr.create({ privateKey: nodeKeys[0]!, ip: '127.0.0.1', tcp: 30303, udp: 30303 }),
  Enr.create({ privateKey: nodeKeys[1]!, ip: '10.1.2.3', udp: 9000, seq: 7 }),
  Enr.create({
    privateKey: nodeKeys[2]!,
    ip: '192.168.1.10',
    tcp: 30305,
    udp: 30306,
    ip6: '::1',
    tcp6: 30307,
    seq: (1n << 40n) + 3n,
    entries: {
      status: [utf8ToBytes('whisper'), utf8ToBytes('whispermail')],
      caps: [
        [utf8ToBytes('waku'), Uint8Array.of(1)],
        [utf8ToBytes('shh'), Uint8Array.of(6)],
      ],
    },
  }),
  Enr.create({ privateKey: nodeKeys[3]!, seq: 1 }),
];

export const recordBytes = records.map((r) => r.encode());
export const recordTexts = records.map((r) => r.encodeText());

/** enode URLs in every form the parser accepts: IPv4, bracketed IPv6, discport, key only, hostname. */
export const enodeUrls: string[] = (() => {
  const keyHex = (i: number) => bytesToHex(getPublicKey(nodeKeys[i]!, 'raw'));
  return [
    formatEnode({ publicKey: getPublicKey(nodeKeys[0]!, 'raw'), ip: '127.0.0.1', tcp: 30303, udp: 30303 }),
    formatEnode({ publicKey: getPublicKey(nodeKeys[1]!, 'raw'), ip: '10.0.0.2', tcp: 30303, udp: 30301 }),
    `enode://${keyHex(2)}@[2001:db8::1]:30303?discport=30304`,
    `enode://${keyHex(2)}@[::ffff:1.2.3.4]:1`,
    `enode://${keyHex(3)}`,
    `enode://${keyHex(3)}@node-01.example.org:443`,
  ];
})();

export const recordBytesArb = fc.constantFrom(...recordBytes);
export const recordTextArb = fc.constantFrom(...recordTexts);
export const enodeArb = fc.constantFrom(...enodeUrls);
/** Either node URL form, as configuration files and the network carry them. */
export const nodeUrlArb = fc.oneof(recordTextArb, enodeArb);
