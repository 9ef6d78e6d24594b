/** The libp2p stream protocol id (checklist RDV-01). */
export const RENDEZVOUS_PROTOCOL = '/rend/0.1.0';

/**
 * Message types (RDV-03). The Go source declares them with `iota` after the version constant, so the
 * numbering starts at 1, not 0. REMOTEIP exists only in later servers: older ones drop the stream on it.
 */
export const MessageType = {
  Register: 1,
  RegisterResponse: 2,
  Discover: 3,
  DiscoverResponse: 4,
  RemoteIp: 5,
  RemoteIpResponse: 6,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/** Response status codes (RDV-05). */
export const ResponseStatus = {
  Ok: 0,
  InvalidNamespace: 100,
  InvalidEnr: 101,
  InvalidTtl: 102,
  InvalidLimit: 103,
  InvalidContent: 104,
  NotAuthorized: 200,
  InternalError: 300,
} as const;
export type ResponseStatus = (typeof ResponseStatus)[keyof typeof ResponseStatus];

/** TTLs are Go `time.Duration`s: nanoseconds on the wire. */
export const NANOS_PER_MILLI = 1_000_000n;

/** Longest TTL a server accepts: 20 s, in nanoseconds (RDV-06). */
export const MAX_TTL_NS = 20_000_000_000n;
/** TTL a client registers with: 10 s, in nanoseconds (RDV-07). */
export const DEFAULT_TTL_NS = 10_000_000_000n;
/** A record stays this long past its TTL, for network delay (RDV-06). */
export const NETWORK_DELAY_MS = 500;
/** How often the server drops expired records (RDV-06). */
export const CLEANER_PERIOD_MS = 2_000;
/** Most records a DISCOVER answer carries; larger limits are capped to it (RDV-06). */
export const MAX_DISCOVER_LIMIT = 10;
/** Namespaces are 1..50 bytes and never contain the storage key delimiter 0xff (RDV-06). */
export const MAX_NAMESPACE_BYTES = 50;
export const NAMESPACE_FORBIDDEN_BYTE = 0xff;
/** Server read and write timeouts per message (RDV-06). */
export const SERVER_IO_TIMEOUT_MS = 10_000;
/** Client: time allowed for one request, dial included (RDV-07). */
export const CLIENT_REQUEST_TIMEOUT_MS = 5_000;
/** Client: re-register at a random server this often, half the TTL (RDV-07). */
export const REGISTER_PERIOD_MS = 5_000;

/**
 * Largest framed item (type or body) accepted from a stream. A full DISCOVER answer is ten 300-byte
 * ENRs plus a few bytes, so 16 KiB leaves room while bounding what a peer can make us buffer.
 */
export const DEFAULT_MAX_MESSAGE_SIZE = 16 * 1024;

/*
 * Server capacity (none of these exist in the Go server). An honest node registers its record under each
 * of its topics (usually whisper and whispermail) every 5 s at one random server: at most 2 live records
 * and 0.4 REGISTER/s per node at a server. Peer ids are free, so limits that matter are per address.
 */
/** Live registrations per remote IP (IPv6: per /64): 50 nodes behind one address, 2 topics each. */
export const MAX_RECORDS_PER_IP = 100;
/** REGISTER requests per remote IP: a burst of 100, then 20/s (those 50 nodes at 0.4/s). */
export const IP_REGISTER_BURST = 100;
export const IP_REGISTER_PER_SECOND = 20;
/** Live registrations in the whole server: 50 full addresses; a few MB of records. */
export const MAX_RECORDS = 5_000;
/** Distinct namespaces with live records: Status uses a handful; 10x the per-IP cap, so one IP cannot fill it. */
export const MAX_NAMESPACES = 1_000;
