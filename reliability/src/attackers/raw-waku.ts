import type { Capability, CapabilityStream } from '@status-ts/devp2p';
import { encodeStatusOptions, fullBloom, NUMBER_OF_CODES, WakuCode } from '@status-ts/waku';

/**
 * A waku/1 capability that completes the Status exchange like an honest peer (PoW 0, full bloom, not light)
 * and then hands its stream to the attack, which sends whatever packets it wants. Received packets are read
 * and discarded, unless `read` is false (a peer that never reads).
 */
export function rawWakuCapability(
  attack: (stream: CapabilityStream) => Promise<void>,
  options: { read?: boolean } = {},
): Capability {
  return {
    name: 'waku',
    version: 1,
    length: NUMBER_OF_CODES,
    async attach(stream) {
      await stream.send(
        WakuCode.Status,
        encodeStatusOptions({ powRequirement: 0, bloomFilter: fullBloom(), lightNode: false }),
      );
      const attacking = attack(stream).catch(() => undefined);
      if (options.read !== false) for await (const _ of stream.messages());
      await attacking;
    },
  };
}
