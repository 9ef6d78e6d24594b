import { StatusTsError } from './errors.js';
import { loadNodeBuiltin } from './node-builtin.js';

/** Code of the error a subpath throws when the optional peer dependency it needs is not installed. */
export const MISSING_DEPENDENCY = 'ERR_MISSING_DEPENDENCY';

/** A subpath (`/sqlite`, `/postgres`, `/libp2p`) needs an optional peer dependency that is not installed. */
export class MissingDependencyError extends StatusTsError {
  /** The npm package to install. */
  readonly dependency: string;

  constructor(dependency: string, feature: string, cause?: unknown) {
    super(
      MISSING_DEPENDENCY,
      `${feature} needs the optional peer dependency "${dependency}", which is not installed: run \`npm install ${dependency}\``,
      { cause, details: { dependency, feature } },
    );
    this.name = 'MissingDependencyError';
    this.dependency = dependency;
  }
}

/** True when `err` says that module `name` itself (not something it imports in turn) could not be found. */
function isNotFound(err: unknown, name: string): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND') return false;
  const message = String((err as { message?: unknown }).message);
  return message.includes(`'${name}'`) || message.includes(`"${name}"`);
}

type NodeModule = { createRequire(from: string | URL): (id: string) => unknown };

/**
 * Loads a CommonJS optional peer dependency (a database driver) synchronously, resolved from the caller's
 * module (`import.meta.url`), so each package finds the copy its consumer installed. Throws
 * `MissingDependencyError` naming the package when it is absent; other load failures propagate as they are.
 */
export function requireOptional<T>(fromUrl: string | URL, name: string, feature: string): T {
  const nodeModule = loadNodeBuiltin<NodeModule>('node:module', 'createRequire');
  if (nodeModule === undefined) throw new MissingDependencyError(name, `${feature} (a Node.js-only part)`);
  try {
    return nodeModule.createRequire(fromUrl)(name) as T;
  } catch (err) {
    if (isNotFound(err, name)) throw new MissingDependencyError(name, feature, err);
    throw err;
  }
}

/**
 * Loads an ESM optional peer dependency. `load` is the caller's own `() => import('name')`, so bundlers
 * and type checkers still see the specifier. Throws `MissingDependencyError` when `name` is absent.
 */
export async function importOptional<T>(name: string, feature: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    if (isNotFound(err, name)) throw new MissingDependencyError(name, feature, err);
    throw err;
  }
}
