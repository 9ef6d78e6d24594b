import type { StatusNode } from '@status-ts/client';
import { afterEach } from 'vitest';
import { stopChildren } from './spawn.js';
import { removeTempDirs } from './temp.js';

/**
 * The teardown every scenario file needs: after each test, the honest nodes pushed to the returned list are
 * stopped, every spawned process is killed and the temporary folders are removed (even after a failure).
 */
export function useScenario(): { honest: StatusNode[] } {
  const honest: StatusNode[] = [];
  afterEach(async () => {
    await Promise.all(honest.splice(0).map((node) => node.stop()));
    await stopChildren();
    removeTempDirs();
  });
  return { honest };
}
