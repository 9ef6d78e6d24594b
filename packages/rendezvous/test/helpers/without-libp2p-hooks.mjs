// Module resolve hook: every package of the js-libp2p ecosystem resolves from a folder with no node_modules,
// so importing one fails with Node's own "Cannot find package" error, as where it was never installed.
// A pattern rather than the package's own list, so a package the list forgot is hidden too.
const LIBP2P_ECOSYSTEM =
  /^(?:libp2p|@libp2p\/[^/]+|@chainsafe\/libp2p-[^/]+|@multiformats\/[^/]+|@status-ts\/libp2p-secio)(?:\/.*)?$/;
const NOWHERE = 'file:///status-ts-nowhere/program.mjs';

export async function resolve(specifier, context, nextResolve) {
  return nextResolve(
    specifier,
    LIBP2P_ECOSYSTEM.test(specifier) ? { ...context, parentURL: NOWHERE } : context,
  );
}
