import { STATUS_EPOCH_MS } from './constants.js';
import { MvdsError, MvdsErrorCode } from './errors.js';

/**
 * Retransmission schedule: given how many times a record has now been sent and the current epoch,
 * the epoch at which it is due again. Must return a value greater than `epoch`.
 */
export type NextSendEpoch = (sendCount: number, epoch: number) => number;

// 2^40 epochs is far beyond any real schedule; capping the exponent keeps the arithmetic exact.
const MAX_EXPONENT = 40;

export interface StatusBackoffOptions {
  /** Epoch length the node runs with (default 300 ms, status-go's ticker). */
  readonly epochMs?: number;
  /** First retransmission delay in seconds, doubled on every send (default 30). */
  readonly intervalSeconds?: number;
  /** Random extra delay of 0..jitterEpochs-1 epochs, so records do not all fall due together (default 30). */
  readonly jitterEpochs?: number;
  /** Uniform [0, 1) source (default `Math.random`); pass a seeded one for reproducible runs. */
  readonly random?: () => number;
}

/**
 * status-go's schedule (`CalculateSendTime`, MVDS-05): next = epoch + 2^(count-1) * 30 s in epochs +
 * random 0..29 epochs. With 300 ms epochs: about 27 s, 54 s, 108 s, ... after each send.
 */
export function statusBackoff(options: StatusBackoffOptions = {}): NextSendEpoch {
  const epochMs = options.epochMs ?? STATUS_EPOCH_MS;
  const intervalSeconds = options.intervalSeconds ?? 30;
  const jitter = options.jitterEpochs ?? 30;
  const random = options.random ?? Math.random;
  // status-go converts seconds to epochs with an integer ratio (1 s / 300 ms = 3).
  const epochsPerSecond = Math.max(1, Math.floor(1000 / epochMs));
  return (sendCount, epoch) => {
    const exponent = Math.min(Math.max(sendCount - 1, 0), MAX_EXPONENT);
    return epoch + 2 ** exponent * intervalSeconds * epochsPerSecond + Math.floor(random() * jitter);
  };
}

export interface ExponentialBackoffOptions {
  /** Delay after the first send, in epochs (default 1). */
  readonly baseEpochs?: number;
  /** Upper bound of the delay: when doubling would pass it, the delay starts again from `baseEpochs` (default 64). */
  readonly maxEpochs?: number;
}

/**
 * The spec's suggestion: the delay doubles with each send until it reaches an upper bound, then goes back
 * to the lower one, so a record is never parked far in the future (useful with a finite `maxSends`).
 * Delays: base, 2·base, 4·base, ... up to maxEpochs, then base again.
 */
export function exponentialBackoff(options: ExponentialBackoffOptions = {}): NextSendEpoch {
  const base = options.baseEpochs ?? 1;
  const max = options.maxEpochs ?? 64;
  const problem = !(Number.isSafeInteger(base) && base >= 1)
    ? `baseEpochs must be an integer >= 1, got ${base}`
    : !Number.isSafeInteger(max)
      ? `maxEpochs must be an integer, got ${max}`
      : max < base
        ? `maxEpochs (${max}) is below baseEpochs (${base})`
        : undefined;
  if (problem !== undefined) {
    throw new MvdsError(MvdsErrorCode.InvalidArgument, `backoff: ${problem}`, {
      details: { baseEpochs: base, maxEpochs: max },
    });
  }
  const steps = Math.floor(Math.log2(max / base)) + 1;
  return (sendCount, epoch) => epoch + base * 2 ** ((Math.max(sendCount, 1) - 1) % steps);
}
