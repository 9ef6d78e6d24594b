import { bytesToBigInt } from '@status-ts/core';
import { convertPublicKey } from '@status-ts/crypto';
import { parsePublicKey } from '../key-text.js';
import { ADJECTIVES } from './adjectives.js';
import { ANIMALS } from './animals.js';
import { Lfsr } from './lfsr.js';

/** Feedback polynomial of status-go's generator (`poly = 0xB8`). */
const POLY = 0xb8n;

/** The name for a 64-bit seed: adjective, adjective, animal, each picked by the next LFSR state. */
export function threeWordNameFromSeed(seed: bigint): string {
  const lfsr = new Lfsr(POLY, seed);
  const first = ADJECTIVES[Number(lfsr.next() % BigInt(ADJECTIVES.length))]!;
  const second = ADJECTIVES[Number(lfsr.next() % BigInt(ADJECTIVES.length))]!;
  const animal = ANIMALS[Number(lfsr.next() % BigInt(ANIMALS.length))]!;
  return `${first} ${second} ${animal}`;
}

/**
 * Status' generated name ("alias") of a chat key, e.g. "Darkorange Blue Bubblefish": the seed is the
 * lowest 64 bits of the key's X coordinate (status-go `uint64(publicKey.X.Int64())`). Takes the key as
 * bytes (any form) or as any text `parsePublicKey` reads.
 */
export function threeWordName(publicKey: Uint8Array | string): string {
  const raw =
    typeof publicKey === 'string'
      ? parsePublicKey(publicKey).subarray(1)
      : convertPublicKey(publicKey, 'raw');
  // raw = X || Y, both big endian: X's lowest 64 bits are bytes 24..31.
  return threeWordNameFromSeed(bytesToBigInt(raw.subarray(24, 32)));
}

const ADJECTIVE_SET = new Set(ADJECTIVES);
const ANIMAL_SET = new Set(ANIMALS);

function titleCase(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}

/** True for "Adjective Adjective Animal" from the lists, any letter case (status-go `IsAlias`). */
export function isThreeWordName(name: string): boolean {
  if (typeof name !== 'string') return false;
  const words = name.trim().split(/\s+/);
  return (
    words.length === 3 &&
    ADJECTIVE_SET.has(titleCase(words[0]!)) &&
    ADJECTIVE_SET.has(titleCase(words[1]!)) &&
    ANIMAL_SET.has(titleCase(words[2]!))
  );
}
