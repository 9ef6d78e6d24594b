/**
 * Loads a Node built-in module (`node:net`, `node:crypto`…) synchronously without an `import` statement, so
 * browser and React Native bundlers never see it: `process.getBuiltinModule` exists on Node >= 20.16 (and
 * Bun/Deno). Returns undefined anywhere else, or when the module lacks `requiredExport` (a stub).
 */
export function loadNodeBuiltin<T extends object>(
  id: `node:${string}`,
  requiredExport: string,
): T | undefined {
  try {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    if (typeof proc?.getBuiltinModule !== 'function') return undefined;
    const mod = proc.getBuiltinModule(id) as Record<string, unknown> | undefined;
    return mod !== undefined && mod !== null && requiredExport in mod ? (mod as T) : undefined;
  } catch {
    return undefined;
  }
}
