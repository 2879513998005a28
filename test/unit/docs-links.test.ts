// The README's and docs/*.md's relative links work in a clone: each names a file inside the repository that
// exists, and each #anchor names a heading of its target (GitHub's heading ids). Web links are not fetched here.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface Link {
  line: number;
  target: string;
}

/** Inline `[text](target)` and reference `[label]: target` links, outside fenced code blocks and code spans. */
function markdownLinks(text: string): Link[] {
  const links: Link[] = [];
  let fenced = false;
  text.split('\n').forEach((raw, index) => {
    if (/^\s*(```|~~~)/.test(raw)) {
      fenced = !fenced;
      return;
    }
    if (fenced) return;
    const line = raw.replace(/`[^`]*`/g, (span) => (span.includes('](') ? '' : 'code'));
    for (const match of line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push({ line: index + 1, target: match[1]! });
    const reference = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/.exec(line);
    if (reference) links.push({ line: index + 1, target: reference[1]! });
  });
  return links;
}

/** GitHub's heading ids: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function headingIds(text: string): Set<string> {
  const ids = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = heading[1]!
      .replace(/<[^>]+>/g, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    ids.add(count === 0 ? base : `${base}-${count}`);
  }
  return ids;
}

/** Why a link in `file` (relative to root) is broken, or null. */
function brokenLink(root: string, file: string, target: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return null; // https:, mailto: and the like: not checked offline
  if (target.startsWith('/')) return 'an absolute path: it points outside a clone';
  const hash = target.indexOf('#');
  const pathPart = decodeURIComponent(hash === -1 ? target : target.slice(0, hash));
  const anchor = hash === -1 ? '' : decodeURIComponent(target.slice(hash + 1));
  const resolved = pathPart === '' ? path.join(root, file) : path.resolve(root, path.dirname(file), pathPart);
  const relative = path.relative(root, resolved);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return `it leaves the repository (${relative})`;
  if (!existsSync(resolved)) return `${relative} does not exist`;
  if (anchor && statSync(resolved).isFile() && resolved.endsWith('.md') && !headingIds(readFileSync(resolved, 'utf8')).has(anchor)) {
    return `${relative} has no heading "#${anchor}"`;
  }
  return null;
}

function docFiles(): string[] {
  return ['README.md', ...readdirSync(path.join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];
}

describe('links in README.md and docs/*.md', () => {
  it('finds links and tells broken ones (the checker itself)', () => {
    const sample = [
      '# Title',
      'See [sandbox](docs/sandbox.md), [the codes](#exit-codes), [web](https://example.com) and `[not](a-link.md)`.',
      '```',
      '[inside](a/fence.md)',
      '```',
      '[ref]: docs/ci.md',
    ].join('\n');
    expect(markdownLinks(sample).map((l) => l.target)).toEqual(['docs/sandbox.md', '#exit-codes', 'https://example.com', 'docs/ci.md']);
    expect(headingIds('## Use\n### JSON output\n### Scale (`BENCH_PART=scale npm run bench`)\n## Use')).toEqual(
      new Set(['use', 'json-output', 'scale-bench_partscale-npm-run-bench', 'use-1']),
    );
    const table: Array<[file: string, target: string, broken: RegExp | null]> = [
      ['README.md', 'docs/sandbox.md', null],
      ['README.md', '#exit-codes', null],
      ['README.md', 'docs/ci.md#nothing-like-this', /no heading/],
      ['docs/sandbox.md', 'login-pages.md', null],
      ['docs/sandbox.md', '../README.md#use', null],
      ['docs/sandbox.md', '../../shared/docs/login-pages.md', /leaves the repository/],
      ['docs/sandbox.md', '/work/shared/docs/login-pages.md', /absolute path/],
      ['docs/sandbox.md', 'missing.md', /does not exist/],
      ['docs/ci.md', 'https://docs.github.com/en/actions', null],
    ];
    for (const [file, target, broken] of table) {
      const why = brokenLink(ROOT, file, target);
      if (broken) expect(why, `${file}: ${target}`).toMatch(broken);
      else expect(why, `${file}: ${target}`).toBeNull();
    }
  });

  it('every relative link resolves inside the repository', () => {
    const broken: string[] = [];
    let checked = 0;
    for (const file of docFiles()) {
      for (const link of markdownLinks(readFileSync(path.join(ROOT, file), 'utf8'))) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(link.target)) continue;
        checked++;
        const why = brokenLink(ROOT, file, link.target);
        if (why) broken.push(`${file}:${link.line} ${link.target}: ${why}`);
      }
    }
    expect(broken).toEqual([]);
    // The README alone links to docs/sandbox.md, docs/ci.md and its own sections: a checker that finds none is broken.
    expect(checked).toBeGreaterThanOrEqual(8);
  });
});
