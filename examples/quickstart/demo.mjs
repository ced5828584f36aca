// `pnpm demo`: builds the packages with their output held back (shown only when the build fails), then
// runs the story (index.mjs) so that the story is the first thing printed. On a terminal a one-line
// "building…" status is shown while the build runs and erased before the story starts.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const status = process.stdout.isTTY ? (text) => process.stdout.write(`\r\x1b[K${text}`) : () => {};

/** Runs a command with its output collected; resolves with its exit code and output. */
function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    child.on('error', (error) => resolve({ code: 1, output: `${error.message}\n` }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output: Buffer.concat(output).toString() }));
  });
}

const started = performance.now();
status('building the packages (output shown only on failure)…');
const build = await run('npx', ['-y', 'pnpm@12.4.2', '-r', '--filter', './packages/*', 'build']);
status('');
if (build.code !== 0) {
  process.stderr.write(build.output);
  console.error(
    `\ndemo: the build failed (exit ${build.code}) after ${((performance.now() - started) / 1000).toFixed(1)} s; its output is above`,
  );
  process.exit(build.code);
}

const story = spawn(process.execPath, [join(root, 'examples/quickstart/index.mjs'), ...process.argv.slice(2)], {
  cwd: join(root, 'examples/quickstart'),
  stdio: 'inherit',
});
story.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
