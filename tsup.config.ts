import { defineConfig } from 'tsup';

// Every package's `tsup` build finds this file (tsup looks upward from the package folder); the entries and
// flags stay in each package's build script. tsup 8 strips `node:` from imports by default: keep it, so the
// built files say `node:fs/promises` as the sources do. A bundler then knows a Node built-in for what it is
// (`fs` could be an npm package or a browser polyfill), and runtimes that only accept the prefixed form
// (Deno, edge workers) load the Node-only subpaths.
export default defineConfig({ removeNodeProtocol: false });
