// Browser test: bundles the browser entry with esbuild, serves it on 127.0.0.1, and drives headless
// Debian Chromium (playwright-core) against the mock gateway on a second origin.
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { cacheKey } from '@modelwire/client';
import { startMockServer } from '@modelwire/mock-server';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const here = fileURLToPath(new URL('.', import.meta.url));
const bundle = await build({
  entryPoints: [`${here}page.js`],
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'browser',
  minify: true,
});
const js = bundle.outputFiles[0].text;
for (const forbidden of ['undici', 'node:crypto', 'node:http']) {
  if (js.includes(`from"${forbidden}"`) || js.includes(`require("${forbidden}")`)) throw new Error(`browser bundle imports ${forbidden}`);
}
const mock = await startMockServer({ port: 0 });
const site = createServer((req, res) => {
  if (req.url === '/bundle.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
  else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><script type="module" src="/bundle.js"></script>');
});
await new Promise((r) => site.listen(0, '127.0.0.1', r));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
let failed = false;
try {
  const page = await browser.newPage();
  page.on('console', (m) => console.log(`  [browser] ${m.text()}`));
  await page.goto(`http://127.0.0.1:${site.address().port}/`);
  await page.waitForFunction(() => typeof window.runModelwire === 'function');
  const result = await page.evaluate((url) => window.runModelwire(url), mock.apiUrl);
  const expectedKey = cacheKey({
    model: 'fraud-score',
    version: null,
    scope: 'anonymous',
    data: { amount: 129.5, country: 'FR', card_present: false },
  });
  const checks = [
    [typeof result.confidence === 'number' && result.version === '2', 'prediction with confidence from fraud-score v2'],
    [result.secondCached === true, 'same input, keys reordered, served from cache'],
    [Array.isArray(result.validation) && result.validation[0]?.field === '/amount', '422 surfaces field errors as ValidationError'],
    [result.key === expectedKey, 'browser cache key (portable SHA-256) equals the Node one'],
  ];
  for (const [ok, what] of checks) {
    console.log(`${ok ? '✔' : '✘'} ${what}`);
    if (!ok) failed = true;
  }
  console.log(`browser bundle: ${(js.length / 1024).toFixed(1)} KB minified`);
} finally {
  await browser.close();
  site.close();
  await mock.close();
}
process.exit(failed ? 1 : 0);
