import Module from 'node:module';

type Load = (request: string, parent: unknown, isMain: boolean) => unknown;

/**
 * Runs `fn` as if package `name` were not installed: `require(name)` fails with Node's own
 * MODULE_NOT_FOUND error. Under pnpm every package is reachable through NODE_PATH, so a missing optional
 * dependency can only be simulated, not arranged by choosing where to resolve from.
 */
export function withoutPackage<T>(name: string, fn: () => T): T {
  const loader = Module as unknown as { _load: Load };
  const load = loader._load;
  loader._load = function loadUnlessHidden(this: unknown, request, parent, isMain) {
    if (request === name) {
      throw Object.assign(new Error(`Cannot find module '${name}'`), { code: 'MODULE_NOT_FOUND' });
    }
    return load.call(this, request, parent, isMain);
  };
  try {
    return fn();
  } finally {
    loader._load = load;
  }
}
