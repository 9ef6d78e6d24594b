import { DnsDiscoveryError, DnsErrorCode } from './errors.js';

/**
 * Just enough of the DNS wire format (RFC 1035) for DNS-over-HTTPS TXT lookups: one query, and the TXT
 * records of its answer. Nothing is followed beyond the answer itself: no further queries.
 */

const TYPE_TXT = 16;
const TYPE_CNAME = 5;
const CLASS_IN = 1;
const HEADER_BYTES = 12;
const MAX_LABEL_BYTES = 63;
const MAX_NAME_BYTES = 255;

/** RCODEs by the names c-ares (so `NodeResolver`) reports them, so every resolver fails alike. */
const RCODE_NAMES: Record<number, string> = {
  1: 'EFORMERR',
  2: 'ESERVFAIL',
  3: 'ENOTFOUND',
  4: 'ENOTIMP',
  5: 'EREFUSED',
};

export function rcodeName(rcode: number): string {
  return RCODE_NAMES[rcode] ?? `RCODE_${rcode}`;
}

export interface TxtAnswer {
  /** The response code (0 = NOERROR); `records` is empty unless it is 0. */
  readonly rcode: number;
  /** TXT records owned by the name asked (or an alias the answer itself gives), strings in order. */
  readonly records: string[][];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Lower-cases ASCII only, as DNS compares names; other bytes stay as they are. */
function canonicalLabel(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += String.fromCharCode(b >= 0x41 && b <= 0x5a ? b + 32 : b);
  return out;
}

function badName(name: string, why: string): DnsDiscoveryError {
  // EBADNAME: the code c-ares gives a name it cannot put in a query.
  return new DnsDiscoveryError(DnsErrorCode.ResolveFailed, `${name}: ${why}`, {
    details: { name, code: 'EBADNAME' },
  });
}

/** The labels of `name` as bytes (a trailing dot allowed), checked against the DNS size limits. */
function nameLabels(name: string): Uint8Array[] {
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  // An empty name splits into one empty label, refused below.
  const labels = trimmed.split('.').map((label) => encoder.encode(label));
  let total = 1;
  for (const label of labels) {
    if (label.length === 0 || label.length > MAX_LABEL_BYTES) {
      throw badName(name, `label of ${label.length} bytes (1 to ${MAX_LABEL_BYTES})`);
    }
    total += label.length + 1;
  }
  if (total > MAX_NAME_BYTES) throw badName(name, `name of ${total} bytes (limit ${MAX_NAME_BYTES})`);
  return labels;
}

/**
 * A TXT query for `name`: ID 0 (RFC 8484 4.1: so that equal queries are equal HTTP requests, cacheable),
 * recursion desired, one question, no EDNS.
 */
export function encodeTxtQuery(name: string): Uint8Array<ArrayBuffer> {
  const labels = nameLabels(name);
  const size = HEADER_BYTES + labels.reduce((n, l) => n + l.length + 1, 1) + 4;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint16(2, 0x0100); // RD
  view.setUint16(4, 1); // QDCOUNT
  let pos = HEADER_BYTES;
  for (const label of labels) {
    out[pos++] = label.length;
    out.set(label, pos);
    pos += label.length;
  }
  out[pos++] = 0;
  view.setUint16(pos, TYPE_TXT);
  view.setUint16(pos + 2, CLASS_IN);
  return out;
}

function canonicalName(name: string): string {
  return nameLabels(name).map(canonicalLabel).join('.');
}

/** Reads a message; running past its end means it was cut (truncated), anything else wrong is malformed. */
class Reader {
  pos = 0;
  constructor(
    readonly bytes: Uint8Array,
    readonly name: string,
  ) {}

  truncated(): DnsDiscoveryError {
    return new DnsDiscoveryError(
      DnsErrorCode.Truncated,
      `${this.name}: DNS answer ends mid-record (${this.bytes.length} bytes)`,
      { details: { name: this.name, bytes: this.bytes.length } },
    );
  }

  malformed(why: string): DnsDiscoveryError {
    return new DnsDiscoveryError(DnsErrorCode.MalformedAnswer, `${this.name}: malformed DNS answer: ${why}`, {
      details: { name: this.name, reason: why },
    });
  }

  need(n: number): void {
    if (this.pos + n > this.bytes.length) throw this.truncated();
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.pos++]!;
  }

  u16(): number {
    this.need(2);
    const v = (this.bytes[this.pos]! << 8) | this.bytes[this.pos + 1]!;
    this.pos += 2;
    return v;
  }

  /**
   * A domain name, compression pointers included. Each pointer must point before every byte read so far
   * for this name, so a chain of pointers always ends (no loops).
   */
  readName(): string {
    const labels: string[] = [];
    let size = 1;
    let at = this.pos;
    let lowest = at;
    let resume: number | undefined;
    for (;;) {
      if (at >= this.bytes.length) throw this.truncated();
      const len = this.bytes[at]!;
      if (len === 0) {
        at++;
        break;
      }
      if ((len & 0xc0) === 0xc0) {
        if (at + 1 >= this.bytes.length) throw this.truncated();
        const target = ((len & 0x3f) << 8) | this.bytes[at + 1]!;
        if (target >= lowest) throw this.malformed('compression pointer does not point backwards');
        resume ??= at + 2;
        at = target;
        lowest = target;
        continue;
      }
      if ((len & 0xc0) !== 0) throw this.malformed(`unknown label type 0x${len.toString(16)}`);
      // Stryker disable next-line EqualityOperator: a label ending exactly at the last byte fails as truncated on the next pass anyway (same error, same details)
      if (at + 1 + len > this.bytes.length) throw this.truncated();
      size += len + 1;
      if (size > MAX_NAME_BYTES) throw this.malformed('name longer than 255 bytes');
      labels.push(canonicalLabel(this.bytes.subarray(at + 1, at + 1 + len)));
      at += 1 + len;
    }
    this.pos = resume ?? at;
    return labels.join('.');
  }
}

/** The character-strings of one TXT RDATA; each must end inside it. */
function readTxtData(reader: Reader, end: number): string[] {
  if (reader.pos === end) throw reader.malformed('TXT record without a character-string');
  const strings: string[] = [];
  while (reader.pos < end) {
    const len = reader.u8();
    if (reader.pos + len > end) throw reader.malformed('character-string runs past its record');
    strings.push(decoder.decode(reader.bytes.subarray(reader.pos, reader.pos + len)));
    reader.pos += len;
  }
  return strings;
}

/**
 * Parses the response to `encodeTxtQuery(name)`. Throws ERR_DNS_TRUNCATED when the TC bit is set or the
 * message ends mid-record, ERR_DNS_MALFORMED_ANSWER when it is not a response to that question or does
 * not parse. CNAMEs in the answer are honoured as aliases of the name asked, never queried further.
 */
export function decodeTxtResponse(bytes: Uint8Array, name: string): TxtAnswer {
  const reader = new Reader(bytes, name);
  reader.need(HEADER_BYTES);
  reader.pos = 2;
  const flags = reader.u16();
  const qdCount = reader.u16();
  const anCount = reader.u16();
  const nsCount = reader.u16();
  const arCount = reader.u16();
  if ((flags & 0x8000) === 0) throw reader.malformed('not a response (QR bit clear)');
  if (((flags >> 11) & 0x0f) !== 0) throw reader.malformed('not a standard query response');
  if (flags & 0x0200) {
    throw new DnsDiscoveryError(DnsErrorCode.Truncated, `${name}: DNS answer truncated (TC bit set)`, {
      details: { name, tc: true },
    });
  }
  if (qdCount !== 1) throw reader.malformed(`${qdCount} questions instead of 1`);
  const asked = canonicalName(name);
  const qname = reader.readName();
  const qtype = reader.u16();
  const qclass = reader.u16();
  if (qname !== asked || qtype !== TYPE_TXT || qclass !== CLASS_IN) {
    throw reader.malformed(`answers another question (${qname} type ${qtype} class ${qclass})`);
  }
  const rcode = flags & 0x0f;
  const owners = new Set([asked]);
  const records: string[][] = [];
  const total = anCount + nsCount + arCount;
  for (let i = 0; i < total; i++) {
    const owner = reader.readName();
    const type = reader.u16();
    const klass = reader.u16();
    reader.need(4); // TTL: unused, the client caches by content hash
    reader.pos += 4;
    const length = reader.u16();
    reader.need(length);
    const end = reader.pos + length;
    const wanted = rcode === 0 && i < anCount && klass === CLASS_IN && owners.has(owner);
    if (wanted && type === TYPE_TXT) {
      records.push(readTxtData(reader, end));
    } else if (wanted && type === TYPE_CNAME) {
      owners.add(reader.readName());
      if (reader.pos !== end) throw reader.malformed('CNAME target does not fill its record');
    }
    reader.pos = end;
  }
  // Empty unless rcode is 0: `wanted` takes no record otherwise.
  return { rcode, records };
}
