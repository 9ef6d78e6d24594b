import { generatePrivateKey } from '@status-ts/crypto';
import { Enr } from '@status-ts/enr';
import { runChild } from '../child.js';
import { rendezvousClientFrom } from '../rendezvous-node.js';

/**
 * Rendezvous registrations from many peer ids (issue 18, item 7): every REGISTER carries a fresh record (a new
 * key, so a new peer id) under a fresh namespace, from each address of `sources` in turn.
 */
export interface RendezvousFloodConfig {
  readonly server: string;
  readonly registrations: number;
  readonly sources: readonly string[];
  readonly concurrency: number;
  /** Forged records instead (a valid record with one signature byte flipped), all under this namespace. */
  readonly forgedUnder?: string;
}

/** A record whose signature no longer matches its content: what a forger without the key can send. */
function forged(record: Enr): Enr {
  const bytes = record.encode().slice();
  // The signature is the list's first item, right after the 1-3 byte list header and its own 1-byte header.
  bytes[bytes[0]! > 0xf7 ? bytes[0]! - 0xf7 + 3 : 3]! ^= 0xff;
  return { encode: () => bytes } as unknown as Enr;
}

await runChild<RendezvousFloodConfig>(async ({ config, emit }) => {
  const clients = await Promise.all(config.sources.map((source) => rendezvousClientFrom(source)));
  const refused: Record<string, number> = {};
  let accepted = 0;
  let next = 0;
  const worker = async () => {
    while (next < config.registrations) {
      const i = next++;
      const record = Enr.create({
        privateKey: generatePrivateKey(),
        ip: '127.0.0.9',
        tcp: 30303,
        udp: 30303,
      });
      const namespace = config.forgedUnder ?? `flood-${i}`;
      try {
        await clients[i % clients.length]!.client.register(
          config.server,
          namespace,
          config.forgedUnder ? forged(record) : record,
        );
        accepted++;
      } catch (error) {
        const code = String(
          (error as { details?: { status?: number } }).details?.status ?? (error as Error).message,
        );
        refused[code] = (refused[code] ?? 0) + 1;
      }
    }
  };
  void Promise.all(Array.from({ length: config.concurrency }, worker)).then(async () => {
    emit({ type: 'done', accepted, refused });
    await Promise.all(clients.map(({ node }) => node.stop()));
  });
  return {};
});
