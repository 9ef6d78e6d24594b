import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(import.meta.dirname, '../..');
const packagesDir = join(repoRoot, 'packages');
const REPOSITORY = 'https://github.com/status-ts/status-ts/';

const publishedReadmes = readdirSync(packagesDir)
  .filter((dir) => {
    const manifest = JSON.parse(readFileSync(join(packagesDir, dir, 'package.json'), 'utf8')) as {
      private?: boolean;
    };
    return !manifest.private;
  })
  .map((dir) => `packages/${dir}/README.md`);

/** Every link target of a Markdown text: inline links and images, reference definitions, HTML href/src. */
function linkTargets(markdown: string): string[] {
  const withoutCode = markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
  return [
    ...withoutCode.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g),
    ...withoutCode.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm),
    ...withoutCode.matchAll(/\b(?:href|src)\s*=\s*["']([^"']+)["']/g),
  ].map((m) => m[1]!);
}

/** Links that break where the README is shown alone (the npm registry page): anything relative. */
function relativeLinks(markdown: string): string[] {
  return linkTargets(markdown).filter((target) => !/^(https?:|mailto:|#)/.test(target));
}

/** Links into this repository whose file (`blob/main/…`) or folder (`tree/main/…`) does not exist. */
function deadRepositoryLinks(markdown: string): string[] {
  return linkTargets(markdown)
    .filter((target) => target.startsWith(REPOSITORY))
    .filter((target) => {
      const match = /^(blob|tree)\/main\/([^#?]+)/.exec(target.slice(REPOSITORY.length));
      if (!match) return true;
      const path = join(repoRoot, decodeURIComponent(match[2]!));
      if (!existsSync(path)) return true;
      return statSync(path).isDirectory() !== (match[1] === 'tree');
    });
}

describe('package READMEs link only absolutely (the registry shows each README alone)', () => {
  it.each(publishedReadmes)('%s has no relative link', (readme) => {
    expect(relativeLinks(readFileSync(join(repoRoot, readme), 'utf8'))).toEqual([]);
  });

  it.each(publishedReadmes)('%s links only to files and folders that exist', (readme) => {
    expect(deadRepositoryLinks(readFileSync(join(repoRoot, readme), 'utf8'))).toEqual([]);
  });

  it('the checks see relative and dead links (they can fail)', () => {
    const markdown = [
      'See [the docs](../../docs/waku.md), ![logo](./logo.png) and [ref][r].',
      '[r]: docs/x.md',
      '<a href="../../LICENSE">license</a>',
      `[ok](${REPOSITORY}blob/main/docs/waku.md#limits) [anchor](#usage) [web](https://example.org)`,
      `[gone](${REPOSITORY}blob/main/docs/nothing-here.md) [folder as file](${REPOSITORY}blob/main/docs)`,
      'Code is not a link: `[x](../y.md)`',
    ].join('\n');
    expect(relativeLinks(markdown)).toEqual([
      '../../docs/waku.md',
      './logo.png',
      'docs/x.md',
      '../../LICENSE',
    ]);
    expect(deadRepositoryLinks(markdown)).toEqual([
      `${REPOSITORY}blob/main/docs/nothing-here.md`,
      `${REPOSITORY}blob/main/docs`,
    ]);
  });
});
