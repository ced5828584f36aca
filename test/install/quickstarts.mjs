// The README's quick starts, as the install test (scripts/test-install.sh) runs them.
//
// The code that runs is the README's own: each runnable fenced block is marked with
// `<!-- install-test: <name> -->` on the line before its fence, and is extracted verbatim except for
// the placeholders in SUBSTITUTIONS below (documented addresses of a real deployment → the local mock
// gateway). Each substitution must be found in its block, so a README edit that drops or renames a
// placeholder fails the test instead of silently running against nothing.
//
//   node test/install/quickstarts.mjs extract <name> <out-file> <mock-origin>
//   node test/install/quickstarts.mjs check <name> <stdout-file> <stderr-file>
//   node test/install/quickstarts.mjs names
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const README = join(dirname(fileURLToPath(import.meta.url)), '../../README.md');

// The OIDC client the mock gateway is configured with (scripts/test-install.sh); the quick starts read
// the secret from MW_SECRET as the README says.
export const OIDC_CLIENT = {
  client_id: 'orders',
  client_secret: 'install-test-secret',
  scopes: ['models:predict', 'jobs:write', 'jobs:read', 'feedback:write'],
};

// Placeholder in the README → what the install test uses. `{origin}` is the mock gateway's origin.
const GATEWAY = ['https://gateway.example.com/v1', '{origin}/v1'];
const TOKEN_URL = ['https://sso.example.com/realms/ml/protocol/openid-connect/token', '{origin}/oauth/token'];
const SUBSTITUTIONS = {
  'ts-quickstart': [GATEWAY, TOKEN_URL],
  'qa-msw': [],
  'python-quickstart': [GATEWAY, TOKEN_URL],
  'java-dependency': [],
  'java-quickstart': [GATEWAY, TOKEN_URL],
};

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const NUMBER = '(?:0|1)(?:\\.\\d+)?(?:[eE]-?\\d+)?';
// What each quick start must print (every pattern must match a whole line of stdout). The first line
// of each is the prediction: a label from the model, a confidence, a request id, not cached, no
// fallback, one attempt.
const EXPECTED = {
  'ts-quickstart': [
    `^(legit|fraud) ${NUMBER} (true|false) ${UUID} false undefined 1$`,
    `^\\[ \\{ field: '/amount', message: '[^']+' \\} \\]$`,
    '^succeeded (positive|negative)$',
    '^\\S+ true$',
  ],
  'qa-msw': ['^fraud-score-backup retries_exhausted 4$'],
  'python-quickstart': [
    `^(legit|fraud) ${NUMBER} (True|False) ${UUID} False None 1$`,
    `^\\(FieldError\\(field='/amount', message='[^']+'\\),\\)$`,
    '^\\S+ True$',
    '^succeeded (positive|negative)$',
  ],
  'java-quickstart': [
    `^(legit|fraud) ${NUMBER} (true|false) ${UUID} false null 1$`,
    '^\\[FieldError\\[field=/amount, message=[^\\]]+\\]\\]$',
    '^(legit|fraud) from fraud-score$',
    '^succeeded (positive|negative)$',
    '^\\S+ true$',
  ],
};

/** The fenced block after `<!-- install-test: name -->`, exactly as written in the README. */
export function block(markdown, name) {
  const lines = markdown.split('\n');
  const marks = lines.flatMap((line, i) => (line.trim() === `<!-- install-test: ${name} -->` ? [i] : []));
  if (marks.length !== 1) throw new Error(`README.md: expected one "<!-- install-test: ${name} -->", found ${marks.length}`);
  const open = marks[0] + 1;
  const fence = /^(`{3,})\S*\s*$/.exec(lines[open] ?? '');
  if (!fence) throw new Error(`README.md:${open + 1}: "<!-- install-test: ${name} -->" must be followed by a code fence`);
  const close = lines.findIndex((line, i) => i > open && line.trim() === fence[1]);
  if (close < 0) throw new Error(`README.md:${open + 1}: the "${name}" block is not closed`);
  return `${lines.slice(open + 1, close).join('\n')}\n`;
}

/** The block with its placeholders replaced (each must occur at least once). */
export function extract(name, origin) {
  const subs = SUBSTITUTIONS[name];
  if (!subs) throw new Error(`unknown quick start ${name}; known: ${Object.keys(SUBSTITUTIONS).join(', ')}`);
  let code = block(readFileSync(README, 'utf8'), name);
  for (const [from, to] of subs) {
    if (!code.includes(from)) throw new Error(`README.md "${name}": the documented placeholder ${from} is missing`);
    code = code.split(from).join(to.replace('{origin}', origin));
  }
  return code;
}

/** Problems with a run's output (empty when it printed everything expected and nothing on stderr). */
export function check(name, stdout, stderr) {
  const lines = stdout.split(/\r?\n/);
  const problems = EXPECTED[name]
    .filter((pattern) => !lines.some((line) => new RegExp(pattern).test(line)))
    .map((pattern) => `no stdout line matches /${pattern}/`);
  if (stderr.trim()) problems.push(`stderr is not empty (a first use must be quiet):\n${stderr.trimEnd()}`);
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [command, name, a, b] = process.argv.slice(2);
  try {
    if (command === 'extract') writeFileSync(a, extract(name, b));
    else if (command === 'names') console.log(Object.keys(SUBSTITUTIONS).join('\n'));
    else if (command === 'oidc-client') console.log(JSON.stringify(OIDC_CLIENT));
    else if (command === 'check') {
      const problems = check(name, readFileSync(a, 'utf8'), readFileSync(b, 'utf8'));
      if (problems.length) {
        console.error(`${name}: ${problems.join('\n')}\n--- stdout ---\n${readFileSync(a, 'utf8')}`);
        process.exit(1);
      }
    } else throw new Error('usage: quickstarts.mjs extract <name> <out> <origin> | check <name> <stdout> <stderr> | names | oidc-client');
  } catch (error) {
    console.error(`quickstarts.mjs: ${error.message}`);
    process.exit(1);
  }
}
