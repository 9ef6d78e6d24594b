import { generatePrivateKey, getPublicKey } from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import {
  detectAudioType,
  detectImageType,
  extractMentions,
  mentionText,
  oneToOneChatId,
} from '../src/index.js';

const alice = oneToOneChatId(getPublicKey(generatePrivateKey()));
const bob = oneToOneChatId(getPublicKey(generatePrivateKey()));

describe('mentions (status-im/markdown rules)', () => {
  it('finds @0x + 130 hex digits ended by the end, a space or .,:;', () => {
    expect(extractMentions(`${mentionText(alice)} hi`)).toEqual([alice]);
    for (const end of ['', ' ', '.', ',', ':', ';', '\n']) {
      expect(extractMentions(`hey ${mentionText(alice)}${end}`)).toEqual([alice]);
    }
    expect(extractMentions(`${mentionText(alice)}, ${mentionText(bob)} and ${mentionText(alice)}`)).toEqual([
      alice,
      bob,
    ]);
  });

  it('ignores other endings, short keys, upper case and code', () => {
    expect(extractMentions(`${mentionText(alice)}!`)).toEqual([]);
    expect(extractMentions(`${mentionText(alice)}0`)).toEqual([]);
    expect(extractMentions(`@${alice.slice(0, -1)} x`)).toEqual([]);
    expect(extractMentions(`@0x${alice.slice(2).toUpperCase()}`)).toEqual([]);
    expect(extractMentions(`\`${mentionText(alice)}\` ${mentionText(bob)}`)).toEqual([bob]);
    expect(extractMentions(`\`\`\`\n${mentionText(alice)}\n\`\`\``)).toEqual([]);
  });
});

describe('media types from magic bytes (status-go protocol/images and protocol/audio)', () => {
  it('images', () => {
    expect(detectImageType(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0))).toBe('JPEG');
    expect(detectImageType(Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d))).toBe('PNG');
    expect(detectImageType(Uint8Array.of(0x47, 0x49, 0x46, 0x38))).toBe('GIF');
    const webp = new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 ');
    expect(detectImageType(webp)).toBe('WEBP');
    expect(detectImageType(webp.slice(0, 12 - 1))).toBe('UNKNOWN_IMAGE_TYPE');
    expect(detectImageType(Uint8Array.of(0xff, 0xd8, 0xff))).toBe('JPEG');
    expect(detectImageType(Uint8Array.of(0xff, 0xd8))).toBe('UNKNOWN_IMAGE_TYPE');
    expect(detectImageType(new Uint8Array(0))).toBe('UNKNOWN_IMAGE_TYPE');
  });

  it('audio', () => {
    expect(detectAudioType(Uint8Array.of(0xff, 0xf1))).toBe('AAC');
    expect(detectAudioType(Uint8Array.of(0xff, 0xf9))).toBe('AAC');
    const amr = new TextEncoder().encode('#!AMR\n\0\0\0\0\0\0');
    expect(detectAudioType(amr)).toBe('AMR');
    expect(detectAudioType(amr.slice(0, 11))).toBe('UNKNOWN_AUDIO_TYPE');
    expect(detectAudioType(Uint8Array.of(0xff))).toBe('UNKNOWN_AUDIO_TYPE');
  });
});
