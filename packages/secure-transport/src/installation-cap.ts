import type { StoredInstallation } from './store/types.js';

interface Ranked {
  readonly device: StoredInstallation;
  readonly incoming: boolean;
}

// Most recently seen first. Ties (one bundle announces many devices at once): the devices being written
// now, then the higher bundle version, then the id, so the choice is the same on every run. Ids are the
// keys of the map being sorted, so two entries never have the same id.
function newerFirst(a: Ranked, b: Ranked): number {
  return (
    b.device.lastSeen - a.device.lastSeen ||
    Number(b.incoming) - Number(a.incoming) ||
    b.device.version - a.device.version ||
    (a.device.id < b.device.id ? -1 : 1)
  );
}

/**
 * The ids of one identity's devices to drop so that at most `cap` remain once `incoming` is written over
 * `known`: the least recently seen, incoming ones included (those are then never kept).
 */
export function installationsOverCap(
  known: readonly StoredInstallation[],
  incoming: readonly StoredInstallation[],
  cap: number,
): string[] {
  const merged = new Map<string, Ranked>(known.map((device) => [device.id, { device, incoming: false }]));
  for (const device of incoming) merged.set(device.id, { device, incoming: true });
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a shortcut; sort + slice(cap) also give []
  if (merged.size <= cap) return [];
  return [...merged.values()]
    .sort(newerFirst)
    .slice(cap)
    .map((r) => r.device.id);
}
