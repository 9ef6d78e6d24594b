import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script (the build runs it with node), it has no type declarations
import { manifestTargets } from '../check-exports.mjs';
import {
  assertBuilt,
  type EntryLoad,
  entrySpecifiers,
  type Footprint,
  footprintTable,
  importScript,
  installedPackageNames,
  installScratchProject,
  loadFailures,
  type Manifest,
  mapConcurrent,
  measureFootprint,
  type OptionalPeerProbe,
  optionalPeers,
  packPackages,
  probeScript,
  publicPackages,
  REPO_ROOT,
  readManifest,
  relativeLinks,
  requireScript,
  runEntryScript,
  type ScratchProject,
  tarballEntries,
  tarballFile,
  typeCheckConsumer,
} from '../packaging.js';

/*
 * What a consumer gets from the registry: every public package is packed with `pnpm pack` (as `pnpm publish`
 * would), and npm installs the tarballs into scratch projects in the system temp folder, outside the
 * workspace, so nothing resolves through the workspace's node_modules. One project takes every package with
 * every optional peer dependency; one more per package takes that package alone (its main dependencies only).
 * Needs `pnpm build` first. Prints the install footprints as a table.
 */

const packages = publicPackages();
const allEntries = packages.flatMap((pkg) => entrySpecifiers(pkg.manifest));
const MISSING_DEPENDENCY = 'ERR_MISSING_DEPENDENCY';
const NODE16 = { module: 'node16', moduleResolution: 'node16' } as const;

/**
 * One use per kind of optional peer dependency. Without the peer the call must throw ERR_MISSING_DEPENDENCY
 * naming one of its package's optional peers; with the peers installed it must get past loading them (the
 * SQLite calls then fail on better-sqlite3's native addon, which these installs do not compile).
 */
const OPTIONAL_PEER_PROBES: OptionalPeerProbe[] = [
  {
    entry: '@status-ts/mailserver/sqlite',
    call: "(await m.openMailserverSqliteStore(':memory:')).close();",
  },
  {
    entry: '@status-ts/mailserver/postgres',
    call: "await new m.PostgresEnvelopeStore({ connection: 'postgresql://127.0.0.1:9/none' }).close();",
  },
  {
    entry: '@status-ts/rendezvous/libp2p',
    call: 'await (await m.createRendezvousLibp2p()).stop();',
  },
];

/** Installed version of an optional peer: the lowest its range allows, the version the workspace tests. */
function pinnedVersion(range: string): string {
  const lowest = range.replace(/^[\^~]/, '');
  return /^\d+\.\d+\.\d+$/.test(lowest) ? lowest : range;
}

function packageOf(specifier: string): Manifest {
  const pkg = packages.find(
    (candidate) => specifier === candidate.name || specifier.startsWith(`${candidate.name}/`),
  );
  if (!pkg) throw new Error(`no public package exports ${specifier}`);
  return pkg.manifest;
}

describe('published packages, installed from their tarballs by npm', () => {
  let workDir: string;
  let tarballs: Map<string, string>;
  let everything: ScratchProject;
  const alone = new Map<string, ScratchProject>();

  beforeAll(async () => {
    assertBuilt(packages);
    workDir = mkdtempSync(join(tmpdir(), 'status-ts-packaging-'));
    const tarballDir = join(workDir, 'tarballs');
    mkdirSync(tarballDir);
    tarballs = await packPackages(packages, tarballDir);
    const fileSpec = (name: string) => `file:${tarballs.get(name)}`;

    const peers: Record<string, string> = {};
    for (const pkg of packages) {
      for (const [peer, range] of Object.entries(optionalPeers(pkg.manifest))) {
        if (!tarballs.has(peer)) peers[peer] ??= pinnedVersion(range);
      }
    }
    const typesNode = readManifest(REPO_ROOT).devDependencies?.['@types/node'];
    if (!typesNode) throw new Error('the root package.json has no @types/node to give the consumer');
    const everythingDir = join(workDir, 'everything');
    mkdirSync(everythingDir);
    // Installed before the per-package projects: it fills npm's cache, from which those install offline.
    everything = await installScratchProject(
      everythingDir,
      {
        ...Object.fromEntries(packages.map((pkg) => [pkg.name, fileSpec(pkg.name)])),
        ...peers,
        '@types/node': typesNode,
      },
      tarballs,
    );
    await mapConcurrent(packages, 3, async (pkg) => {
      const dir = join(workDir, `alone-${pkg.name.replace(/^@status-ts\//, '')}`);
      mkdirSync(dir);
      alone.set(pkg.name, await installScratchProject(dir, { [pkg.name]: fileSpec(pkg.name) }, tarballs));
    });
  }, 600_000);

  afterAll(() => {
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  describe('tarballs', () => {
    it.each(packages.map((pkg) => pkg.name))(
      '%s holds LICENSE, README.md and built code with source maps',
      async (name) => {
        const files = await tarballEntries(tarballs.get(name)!);
        expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json']));
        const built = files.filter((file) => /^dist\/.*\.js$/.test(file));
        expect(built.length).toBeGreaterThan(0);
        expect(built.filter((file) => !files.includes(`${file}.map`))).toEqual([]);
      },
    );

    it.each(packages.map((pkg) => pkg.name))(
      '%s: the packed manifest points only at packed files',
      async (name) => {
        const tarball = tarballs.get(name)!;
        const files = new Set(await tarballEntries(tarball));
        const packed = JSON.parse(await tarballFile(tarball, 'package.json')) as Manifest;
        const targets = (manifestTargets as (manifest: object) => Array<[string, string]>)(packed);
        expect(targets.filter(([, target]) => !files.has(target.replace(/^\.\//, '')))).toEqual([]);
        // pnpm pack turns workspace: ranges into versions; one left over would not install from the registry.
        expect(JSON.stringify(packed)).not.toContain('workspace:');
      },
    );

    it.each(packages.map((pkg) => pkg.name))(
      '%s: the README has no relative links (broken on the registry)',
      async (name) => {
        expect(relativeLinks(await tarballFile(tarballs.get(name)!, 'README.md'))).toEqual([]);
      },
    );
  });

  describe('with every optional peer dependency installed', () => {
    let imported: EntryLoad[];
    let required: EntryLoad[];

    beforeAll(async () => {
      imported = await runEntryScript(everything.dir, 'import-entries.mjs', importScript(allEntries));
      required = await runEntryScript(everything.dir, 'require-entries.cjs', requireScript(allEntries));
    });

    it('every entry and subpath imports from a plain Node ESM file', () => {
      expect(imported.map((load) => load.specifier)).toEqual(allEntries);
      expect(loadFailures(imported)).toEqual([]);
    });

    it('every entry and subpath require()s from a CommonJS file, with the same exports', () => {
      expect(loadFailures(required)).toEqual([]);
      // require(esm) hands back the module namespace: the same names as import().
      expect(required.map(({ specifier, exports }) => ({ specifier, exports }))).toEqual(
        imported.map(({ specifier, exports }) => ({ specifier, exports })),
      );
    });

    it.each([
      ['node16', { module: 'node16', moduleResolution: 'node16' }],
      ['bundler', { module: 'esnext', moduleResolution: 'bundler' }],
    ] as const)(
      'a consumer importing every entry type-checks with skipLibCheck off (%s)',
      async (label, resolution) => {
        const result = await typeCheckConsumer(everything.dir, `consumer-${label}`, allEntries, resolution);
        expect(result).toEqual({ exitCode: 0, errors: [] });
      },
    );

    it('the calls that need an optional peer get past loading it', async () => {
      const probed = await runEntryScript(
        everything.dir,
        'probe-peers.mjs',
        probeScript(OPTIONAL_PEER_PROBES),
      );
      expect(probed.filter((load) => load.error?.code === MISSING_DEPENDENCY).map(describeLoad)).toEqual([]);
    });
  });

  describe('each package alone, without its optional peer dependencies', () => {
    it.each(packages.map((pkg) => pkg.name))(
      '%s: the main entry imports, a subpath loads or names its missing peer',
      async (name) => {
        const loads = await runEntryScript(
          alone.get(name)!.dir,
          'import-entries.mjs',
          importScript(entrySpecifiers(packageOf(name))),
        );
        const main = loads.find((load) => load.specifier === name);
        expect(main?.error, main && describeLoad(main)).toBeUndefined();
        expect(main?.exports?.length).toBeGreaterThan(0);
        expect(
          loads.filter((load) => load.error && load.error.code !== MISSING_DEPENDENCY).map(describeLoad),
        ).toEqual([]);
      },
    );

    // Only packages with optional peers can leak those peers' types into their main entry's declarations.
    it.each(
      packages.filter((pkg) => Object.keys(optionalPeers(pkg.manifest)).length > 0).map((pkg) => pkg.name),
    )('%s: a TypeScript consumer of the main entry type-checks without the optional peers', async (name) => {
      // @types/node comes from the other project: a consumer has it, and installing it here would skew the footprint.
      const typeRoots = [join(everything.dir, 'node_modules', '@types')];
      const result = await typeCheckConsumer(
        alone.get(name)!.dir,
        'consumer-main',
        [name],
        NODE16,
        typeRoots,
      );
      expect(result).toEqual({ exitCode: 0, errors: [] });
    });

    it.each(OPTIONAL_PEER_PROBES.map((probe) => [probe.entry, probe] as const))(
      '%s: the call throws ERR_MISSING_DEPENDENCY naming an optional peer',
      async (entry, probe) => {
        const manifest = packageOf(entry);
        const [load] = await runEntryScript(
          alone.get(manifest.name)!.dir,
          'probe-peers.mjs',
          probeScript([probe]),
        );
        expect(load?.error?.code, describeLoad(load!)).toBe(MISSING_DEPENDENCY);
        expect(Object.keys(optionalPeers(manifest))).toContain(load?.error?.dependency);
      },
    );
  });

  describe('install footprint', () => {
    it('installing a package alone pulls in none of its optional peers; @status-ts/waku no database or libp2p', () => {
      const footprints: Footprint[] = packages.map((pkg) => measureFootprint(pkg.name, alone.get(pkg.name)!));
      footprints.push(measureFootprint('everything + optional peers', everything));
      // console.log shows in vitest's default reporter, under this test's name.
      console.log(`Install footprints (npm, --ignore-scripts):\n${footprintTable(footprints)}`);

      const pulledPeers = packages.flatMap((pkg) => {
        const installed = new Set(installedPackageNames(alone.get(pkg.name)!.dir));
        return Object.keys(optionalPeers(pkg.manifest))
          .filter((peer) => installed.has(peer))
          .map((peer) => `${pkg.name} pulls ${peer}`);
      });
      expect(pulledPeers).toEqual([]);
      const waku = installedPackageNames(alone.get('@status-ts/waku')!.dir);
      expect(waku.filter((name) => /^(better-sqlite3|pg)$|libp2p/.test(name))).toEqual([]);
      expect(waku).toContain('@status-ts/waku');
    });
  });
});

function describeLoad(load: EntryLoad): string {
  if (!load.error) return `${load.specifier}: loaded and ran without an error`;
  return `${load.specifier}: ${load.error.code ?? 'Error'} ${load.error.message}`;
}

describe('the README link check', () => {
  it('reports relative links and images, and leaves absolute links, anchors and code alone', () => {
    const readme = [
      'See [the guide](../../docs/guide.md), [the site](https://example.org/x) and [below](#usage).',
      '![diagram](./diagram.png) <img src="logo.svg"> [mail](mailto:dev@example.org)',
      '[guide]: docs/reference.md',
      '[home]: https://example.org/',
      '`[not a link](./inline-code.md)`',
      '```md',
      '[not a link](./fenced-code.md)',
      '```',
    ].join('\n');
    expect(relativeLinks(readme)).toEqual([
      '../../docs/guide.md',
      './diagram.png',
      'docs/reference.md',
      'logo.svg',
    ]);
  });
});
