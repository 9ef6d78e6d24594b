import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A DNS-over-HTTPS server for tests (plain HTTP on 127.0.0.1, port 0): decodes RFC 8484 GET and POST
 * requests and answers TXT queries from an in-test zone. Its wire encoder is written here, apart from the
 * package's, so the resolver's decoder is checked against independent bytes.
 */

/** One request as the server saw it. */
export interface SeenRequest {
  method: string;
  url: string;
  accept: string | undefined;
  contentType: string | undefined;
  /** The DNS query: the POST body or the decoded `dns` parameter. */
  query: Uint8Array;
}

/** What the handler wants sent back; undefined fields take the normal answer's values. */
export interface DohReply {
  status?: number;
  contentType?: string;
  body?: Uint8Array;
  /** Never answer: the request hangs until the server closes. */
  hang?: boolean;
  /** Send the body in chunks without a Content-Length header. */
  chunked?: boolean;
}

export interface DohServer {
  url: string;
  readonly requests: SeenRequest[];
  /** Per-request override: given the query and the normal answer, what to send instead. */
  reply: (query: Uint8Array, answer: Uint8Array) => DohReply | Promise<DohReply>;
  close(): Promise<void>;
}

const TXT = 16;
const IN = 1;

/** The question of a query: its name (lower case, no trailing dot), type and where the question ends. */
export function questionOf(query: Uint8Array): { name: string; type: number; end: number } {
  const labels: string[] = [];
  let pos = 12;
  while (query[pos]! !== 0) {
    const len = query[pos]!;
    labels.push(Buffer.from(query.subarray(pos + 1, pos + 1 + len)).toString('latin1'));
    pos += 1 + len;
  }
  const type = (query[pos + 1]! << 8) | query[pos + 2]!;
  return { name: labels.join('.').toLowerCase(), type, end: pos + 5 };
}

/** Splits a text into character-strings of at most 255 bytes. */
export function characterStrings(text: string): Buffer[] {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length === 0) return [Buffer.alloc(0)];
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 255) out.push(bytes.subarray(i, i + 255));
  return out;
}

/** A response to `query`: `records` are TXT records, each a list of character-strings. */
export function buildResponse(
  query: Uint8Array,
  records: readonly (readonly Uint8Array[])[],
  options: { rcode?: number; tc?: boolean } = {},
): Uint8Array {
  const { end } = questionOf(query);
  const header = Buffer.alloc(12);
  header.writeUInt16BE((query[0]! << 8) | query[1]!, 0);
  // QR, opcode 0, RD copied, RA; TC on request.
  header.writeUInt16BE(
    0x8000 | ((query[2]! & 0x01) << 8) | 0x0080 | (options.tc ? 0x0200 : 0) | (options.rcode ?? 0),
    2,
  );
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(records.length, 6);
  const answers = records.map((strings) => {
    const rdata = Buffer.concat(strings.flatMap((s) => [Buffer.from([s.length]), Buffer.from(s)]));
    const fixed = Buffer.alloc(12);
    fixed.writeUInt16BE(0xc00c, 0); // pointer to the question's name
    fixed.writeUInt16BE(TXT, 2);
    fixed.writeUInt16BE(IN, 4);
    fixed.writeUInt32BE(60, 6);
    fixed.writeUInt16BE(rdata.length, 10);
    return Buffer.concat([fixed, rdata]);
  });
  return new Uint8Array(Buffer.concat([header, Buffer.from(query.subarray(12, end)), ...answers]));
}

/** The answer the zone gives: its TXT records, or NXDOMAIN for a name it does not hold. */
export function zoneAnswer(zone: Record<string, string | readonly string[]>, query: Uint8Array): Uint8Array {
  const { name } = questionOf(query);
  const found = Object.entries(zone).find(([n]) => n.toLowerCase() === name);
  if (!found) return buildResponse(query, [], { rcode: 3 });
  const texts = typeof found[1] === 'string' ? [found[1]] : found[1];
  return buildResponse(
    query,
    texts.map((t) => characterStrings(t)),
  );
}

async function readAll(req: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

/** Starts a DoH server answering from `zone` (or from `answer`, e.g. a forwarder to a real DNS server). */
export async function startDohServer(
  zone: Record<string, string | readonly string[]>,
  answer: (query: Uint8Array) => Promise<Uint8Array> | Uint8Array = (q) => zoneAnswer(zone, q),
): Promise<DohServer> {
  const requests: SeenRequest[] = [];
  const state: DohServer = {
    url: '',
    requests,
    reply: () => ({}),
    close: async () => {},
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readAll(req);
    const param = url.searchParams.get('dns');
    const query =
      req.method === 'GET' && param !== null ? new Uint8Array(Buffer.from(param, 'base64url')) : body;
    requests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      accept: req.headers.accept,
      contentType: req.headers['content-type'],
      query,
    });
    const normal = await answer(query);
    const reply = await state.reply(query, normal);
    if (reply.hang) return;
    const out = reply.body ?? normal;
    res.statusCode = reply.status ?? 200;
    res.setHeader('content-type', reply.contentType ?? 'application/dns-message');
    if (reply.chunked) {
      for (let i = 0; i < out.length; i += 1024) res.write(out.subarray(i, i + 1024));
      res.end();
      return;
    }
    res.setHeader('content-length', out.length);
    res.end(out);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.statusCode = 599;
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.url = `http://127.0.0.1:${port}/dns-query`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
