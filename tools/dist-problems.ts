/**
 * What `tools/ensure-dist.ts` (vitest globalSetup) provides to a package's tests: why the dist/ of the
 * package or of its workspace dependencies is missing or stale after trying to build it (empty when fresh).
 */
export const DIST_PROBLEMS = 'distProblems';

declare module 'vitest' {
  export interface ProvidedContext {
    [DIST_PROBLEMS]: string[];
  }
}
