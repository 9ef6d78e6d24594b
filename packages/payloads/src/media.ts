import type { AudioType, ImageType } from './chat-message-types.js';

/**
 * The image type status-go writes for image bytes (protocol/images ImageType): sniffed from the magic
 * bytes, never taken from a file name. UNKNOWN_IMAGE_TYPE means status-go would refuse the message.
 */
export function detectImageType(bytes: Uint8Array): ImageType {
  if (bytes.length > 2 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'JPEG';
  if (bytes.length > 3 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) {
    return 'PNG';
  }
  if (bytes.length > 2 && bytes[0] === 0x47 && bytes[1] === 0x49 && bytes[2] === 0x46) return 'GIF';
  if (
    bytes.length > 11 &&
    bytes[8] === 0x57 &&
    bytes[9] === 0x45 &&
    bytes[10] === 0x42 &&
    bytes[11] === 0x50
  ) {
    return 'WEBP';
  }
  return 'UNKNOWN_IMAGE_TYPE';
}

const AMR_MAGIC = [0x23, 0x21, 0x41, 0x4d, 0x52, 0x0a]; // "#!AMR\n"

/** The audio type status-go writes for audio bytes (protocol/audio Type): AAC (ADTS) or AMR by magic. */
export function detectAudioType(bytes: Uint8Array): AudioType {
  if (bytes.length > 1 && bytes[0] === 0xff && (bytes[1] === 0xf1 || bytes[1] === 0xf9)) return 'AAC';
  if (bytes.length > 11 && AMR_MAGIC.every((byte, i) => bytes[i] === byte)) return 'AMR';
  return 'UNKNOWN_AUDIO_TYPE';
}
