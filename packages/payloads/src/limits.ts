/**
 * Size limits of Status payloads. status-go v0.62.0 caps only the text (protocol/message_validator.go);
 * images and audio have no cap of their own there, the transport bounds them: a waku node refuses
 * envelopes above its max message size, 1 MiB by default (waku/common/const.go DefaultMaxMessageSize).
 * So nothing that decodes from a default node can be larger, and we refuse to build anything that could
 * not be sent.
 */

/** Waku's default max message size: no decrypted payload from a default node exceeds it. */
export const MAX_TRANSPORT_MESSAGE_BYTES = 1024 * 1024;

/** Largest serialized ApplicationMetadataMessage we decode or produce. */
export const MAX_WRAPPED_MESSAGE_BYTES = MAX_TRANSPORT_MESSAGE_BYTES;

/** Largest inner payload (ChatMessage, ContactUpdate...) we decode or produce. */
export const MAX_APPLICATION_PAYLOAD_BYTES = MAX_TRANSPORT_MESSAGE_BYTES;

/**
 * status-go's maxChatMessageTextLength. v0.62.0 compares it with the UTF-8 byte length, newer versions
 * (v0.79) with the number of code points: we send at most this many bytes (accepted by both) and accept
 * up to this many code points (what the newest sender may produce).
 */
export const MAX_CHAT_TEXT_LENGTH = 4096;

/** Image bytes in an ImageMessage: bounded by the transport only. */
export const MAX_IMAGE_BYTES = MAX_TRANSPORT_MESSAGE_BYTES;

/** Audio bytes in an AudioMessage: bounded by the transport only. */
export const MAX_AUDIO_BYTES = MAX_TRANSPORT_MESSAGE_BYTES;

/** status-go's maxWhisperFutureDriftMs: a clock may be at most this far ahead of the envelope time. */
export const MAX_CLOCK_FUTURE_DRIFT_MS = 120_000;
