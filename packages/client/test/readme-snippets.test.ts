// The package README (its npm page) is documentation that must not rot: every ```ts block in it is
// type-checked here as its own ES module, importing '@modelwire/client' (and '/contract') as a user
// would, resolved to this package's sources. A renamed option, method or field fails this test.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The ```ts blocks of a markdown text, with the line each starts on. */
function tsBlocks(markdown: string): { line: number; code: string }[] {
  const blocks: { line: number; code: string }[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]?.trim() !== '```ts') continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end]?.trim() !== '```') end++;
    if (end === lines.length) throw new Error(`README.md: the ts block at line ${i + 1} is not closed`);
    blocks.push({ line: start + 1, code: lines.slice(start, end).join('\n') });
    i = end;
  }
  return blocks;
}

/** Type-checks each snippet as a module of this package (ESM: package.json has "type": "module"). */
function typeCheck(snippets: { name: string; code: string }[]): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(packageDir, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error('tsconfig.json could not be read');
  const options: ts.CompilerOptions = {
    ...parsed.options,
    noEmit: true,
    noUnusedLocals: false,
    baseUrl: packageDir,
    paths: { '@modelwire/client': ['./src/index.ts'], '@modelwire/client/contract': ['./src/contract.ts'] },
  };
  const files = new Map(snippets.map((s) => [join(packageDir, 'test', '.readme', `${s.name}.ts`), s.code]));
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    const text = files.get(fileName);
    return text === undefined
      ? getSourceFile(fileName, languageVersion, ...rest)
      : ts.createSourceFile(fileName, text, languageVersion, true);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => files.has(fileName) || fileExists(fileName);
  const readFile = host.readFile.bind(host);
  host.readFile = (fileName) => files.get(fileName) ?? readFile(fileName);
  const program = ts.createProgram([...files.keys()], options, host);
  return [...files.keys()].flatMap((fileName) =>
    ts.getPreEmitDiagnostics(program, program.getSourceFile(fileName)).map((d) => {
      const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
      const where = d.file ? `${d.file.fileName.split('/').pop()}${at ? `:${at.line + 1}` : ''}` : '';
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    }),
  );
}

describe('README.md (the npm page)', () => {
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
  const blocks = tsBlocks(readme);

  it('has the quick start and the other TypeScript examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    expect(blocks[0]?.code).toContain("from '@modelwire/client'");
    expect(blocks[0]?.code).toContain('createClient(');
  });

  it('every ts block type-checks against the package', { timeout: 60_000 }, () => {
    // The checker itself is proven to catch a wrong snippet (a misspelt field, an unknown option).
    const broken = [
      "import { createClient } from '@modelwire/client';\nconst c = createClient({ baseUrl: 'http://x/v1', retries: 3 });\nconst p = await c.predict('m', {});\nconsole.log(p.confidance);",
    ];
    const snippets = [
      ...blocks.map((b) => ({ name: `readme-line-${b.line}`, code: b.code })),
      ...broken.map((code, i) => ({ name: `broken-${i}`, code })),
    ];
    const diagnostics = typeCheck(snippets);
    const fromReadme = diagnostics.filter((d) => d.startsWith('readme-line-'));
    const fromBroken = diagnostics.filter((d) => d.startsWith('broken-'));
    expect(fromReadme).toEqual([]);
    expect(fromBroken.some((d) => d.includes('retries'))).toBe(true);
    expect(fromBroken.some((d) => d.includes('confidance'))).toBe(true);
  });
});
