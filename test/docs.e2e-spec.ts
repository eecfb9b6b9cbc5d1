import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

// Plain Node: reads the repository's files, starts no app. The checks are pure functions over
// { path: text } maps so that each is also run on a broken fixture and seen to fail.

const ROOT = join(__dirname, '..');

type Files = Record<string, string>;

/** Markdown without fenced code blocks and inline code, so neither yields links nor headings. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's heading anchors: the rendered text lower-cased, punctuation dropped, spaces to '-', repeats numbered. */
export function headingSlugs(markdown: string): Set<string> {
  const withoutFences = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  const slugs = new Set<string>();
  const seen = new Map<string, number>();
  for (const match of withoutFences.matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const text = match[1].replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[`*]/g, '');
    const base = text
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    slugs.add(count === 0 ? base : `${base}-${count}`);
  }
  return slugs;
}

/** Relative link targets of a page: inline links, images and reference definitions. */
export function linkTargets(markdown: string): string[] {
  const text = prose(markdown);
  const inline = [...text.matchAll(/!?\[(?:[^\][]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map(
    (m) => m[1],
  );
  const definitions = [...text.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)].map((m) => m[1]);
  return [...inline, ...definitions].filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/** Every link of every page that does not resolve: "page: target (why)". */
export function brokenLinks(pages: Files, exists: (path: string) => boolean): string[] {
  const problems: string[] = [];
  for (const [page, markdown] of Object.entries(pages)) {
    for (const target of linkTargets(markdown)) {
      const [pathPart, anchor] = target.split('#', 2);
      const path =
        pathPart === '' ? page : normalize(join(dirname(page), decodeURIComponent(pathPart))).replace(/\\/g, '/');
      if (path.startsWith('..')) {
        problems.push(`${page}: ${target} (outside the repository)`);
        continue;
      }
      if (!(path in pages) && !exists(path)) {
        problems.push(`${page}: ${target} (no such file)`);
        continue;
      }
      if (anchor === undefined || anchor === '') continue;
      const targetText = pages[path] ?? (path.endsWith('.md') ? readFileSync(join(ROOT, path), 'utf8') : undefined);
      if (targetText === undefined) problems.push(`${page}: ${target} (an anchor into a file that is not markdown)`);
      else if (!headingSlugs(targetText).has(decodeURIComponent(anchor).toLowerCase()))
        problems.push(`${page}: ${target} (no such heading)`);
    }
  }
  return problems;
}

/** Environment variables the code reads: `process.env.X` anywhere, and the validated keys of src/config. */
export function environmentVariablesRead(sources: Files): Set<string> {
  const names = new Set<string>();
  for (const [path, code] of Object.entries(sources)) {
    for (const match of code.matchAll(/process\.env(?:\.([A-Z][A-Z0-9_]*)|\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\])/g))
      names.add(match[1] ?? match[2]);
    if (!path.startsWith('src/config/')) continue;
    // A config concern validates a class whose property names are the variables (see src/config/env.ts).
    for (const match of code.matchAll(/^\s*(?:@\w+\([^\n]*\)\s+)+([A-Z][A-Z0-9_]*)\??\s*:/gm)) names.add(match[1]);
    for (const match of code.matchAll(/\benv\.([A-Z][A-Z0-9_]*)/g)) names.add(match[1]);
  }
  return names;
}

/** The variables named (in backticks) in the first column of the configuration page's tables. */
export function documentedVariables(configurationPage: string): Set<string> {
  const names = new Set<string>();
  for (const row of prose(configurationPage.replace(/`([A-Z][A-Z0-9_]*)`/g, '<<$1>>')).split('\n')) {
    const firstCell = /^\|([^|]*)\|/.exec(row.trim())?.[1] ?? '';
    for (const match of firstCell.matchAll(/<<([A-Z][A-Z0-9_]*)>>/g)) names.add(match[1]);
  }
  return names;
}

function filesUnder(directory: string, keep: (name: string) => boolean): string[] {
  return readdirSync(join(ROOT, directory), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && keep(entry.name))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)).replace(/\\/g, '/'));
}

const read = (paths: string[]): Files =>
  Object.fromEntries(paths.map((path) => [path, readFileSync(join(ROOT, path), 'utf8')]));

describe('Documentation', () => {
  const pages = read(['README.md', ...filesUnder('docs', (name) => name.endsWith('.md'))]);

  it('should resolve every relative link and anchor of README.md and docs/', () => {
    expect(Object.keys(pages).length).toBeGreaterThan(10);
    expect(Object.values(pages).reduce((count, markdown) => count + linkTargets(markdown).length, 0)).toBeGreaterThan(
      100,
    );
    expect(brokenLinks(pages, (path) => existsSync(join(ROOT, path)))).toEqual([]);
  });

  it('should name in docs/configuration.md every environment variable the code reads', () => {
    const sources = read(filesUnder('src', (name) => name.endsWith('.ts') && !name.endsWith('.spec.ts')));
    const readByCode = environmentVariablesRead(sources);
    expect(readByCode.size).toBeGreaterThan(50);
    const documented = documentedVariables(pages['docs/configuration.md']);
    expect([...readByCode].filter((name) => !documented.has(name)).sort()).toEqual([]);
  });

  describe('the checks themselves', () => {
    const none = () => false;

    it('should report a link to a missing file, a missing heading, and a link out of the repository', () => {
      const fixture: Files = {
        'README.md':
          '# Top\n\n[ok](docs/a.md#the-section) [gone](docs/missing.md) [bad anchor](docs/a.md#nope) [out](../x.md)',
        'docs/a.md': '# A\n\n## The section\n\n[self](#a) [up](../README.md#top) [own](#the-sections)',
      };
      expect(brokenLinks(fixture, none)).toEqual([
        'README.md: docs/missing.md (no such file)',
        'README.md: docs/a.md#nope (no such heading)',
        'README.md: ../x.md (outside the repository)',
        'docs/a.md: #the-sections (no such heading)',
      ]);
    });

    it('should slug headings as GitHub does and ignore links and headings in code', () => {
      expect([
        ...headingSlugs(
          "## Errors in a person's language\n## `DATA_DIR` and [links](x.md)\n## Twice\n## Twice\n```sh\n# not a heading\n```",
        ),
      ]).toEqual(['errors-in-a-persons-language', 'data_dir-and-links', 'twice', 'twice-1']);
      expect(
        linkTargets(
          '`[a](nope.md)` [b](https://example.org) ![c](pic.png "title")\n```\n[d](code.md)\n```\n[e]: ref.md',
        ),
      ).toEqual(['pic.png', 'ref.md']);
    });

    it('should report a variable the config reads that the configuration page does not name', () => {
      const sources: Files = {
        'src/config/x.config.ts':
          'class XEnv {\n  @IsOptional() @IsInt() @Min(1) X_LIMIT?: number;\n}\nconst y = env.Y_MODE;',
        'src/other.ts': "const z = process.env.Z_FLAG ?? process.env['W_NAME'];",
      };
      const found = environmentVariablesRead(sources);
      expect([...found].sort()).toEqual(['W_NAME', 'X_LIMIT', 'Y_MODE', 'Z_FLAG']);
      const page =
        '| variable | default | meaning |\n| --- | --- | --- |\n| `X_LIMIT`, `Y_MODE` | 1 | ... |\n| `Z_FLAG` | off | mentions `W_NAME` in the meaning only |';
      expect([...found].filter((name) => !documentedVariables(page).has(name))).toEqual(['W_NAME']);
    });
  });
});
