// The modelwire story in one run: starts the mock model gateway in-process, then walks through a
// prediction, a cache hit, an outage (retries → breaker opens → backup model), recovery through
// half-open, an async job with a signed callback, and feedback. Exits non-zero if any step misbehaves.
import { createServer } from 'node:http';
import { createClient, verifyWebhook } from '@modelwire/client';
import { startMockServer } from '@modelwire/mock-server';
import { DEFAULT_WEBHOOK_SECRET } from '@modelwire/msw';

const quiet = process.argv.includes('--quiet');
const color = (code) => (text) => (quiet || !process.stdout.isTTY ? text : `\x1b[${code}m${text}\x1b[0m`);
const bold = color('1');
const dim = color('2');
const green = color('32');
const red = color('31');
const yellow = color('33');
const say = (...lines) => {
  if (!quiet) for (const line of lines) console.log(line);
};
let failures = 0;
function check(condition, what) {
  if (condition) say(`  ${green('✔')} ${what}`);
  else {
    failures++;
    console.error(`  ${red('✘')} ${what}`);
  }
}
const ms = (t) => `${(performance.now() - t).toFixed(1)} ms`;
const short = (id) => (id ? `${id.slice(0, 8)}…` : '-');

const mock = await startMockServer({ port: 0 });
say(bold(`\nmodelwire quickstart — mock model gateway at ${mock.apiUrl}\n`));
const admin = (path, body) =>
  fetch(`${mock.url}/__admin/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const RESET_MS = 1500;
const events = [];
const client = createClient({
  baseUrl: mock.apiUrl,
  auth: { token: 'demo-token' },
  fallbacks: { 'fraud-score': 'fraud-score-backup' },
  retry: { backoffInitialMs: 50, backoffMaxMs: 200 },
  breaker: { resetTimeoutMs: RESET_MS },
  onEvent: (e) => {
    events.push(e);
    if (e.type === 'retry') say(dim(`    ↻ retry after ${e.delayMs} ms (${e.errorCode}), request ${short(e.requestId)}`));
    if (e.type.startsWith('breaker_')) say(yellow(`    ⚡ breaker for ${e.model}: ${e.type.replace('breaker_', '').replace('_', '-')}`));
    if (e.type === 'fallback') say(yellow(`    ⤷ falling back ${e.model} → ${e.to} (${e.reason})`));
  },
});

try {
  // 1. A prediction with confidence.
  say(bold('1. Predict'));
  const info = await client.modelInfo('fraud-score');
  const tx = { amount: 129.5, country: 'FR', card_present: false, hour: 14 };
  let t = performance.now();
  const first = await client.predict('fraud-score', tx);
  say(
    `  fraud-score v${first.model.version}: ${first.result.label} (score ${first.result.score.toFixed(4)}), confidence ${first.confidence?.toFixed(4)}, uncertainty ${first.uncertaintyScore?.toFixed(4)}`,
  );
  say(
    dim(
      `  request ${short(first.requestId)}, ${first.attempts} attempt, ${ms(t)}; model threshold min_confidence=${info.thresholds.min_confidence}`,
    ),
  );
  check(
    first.attempts === 1 && !first.cached && typeof first.confidence === 'number',
    'answered by the model in one attempt, with a confidence',
  );

  // 2. The same input again (keys in another order) is served from the cache.
  say(bold('\n2. Same input again, keys reordered'));
  t = performance.now();
  const again = await client.predict('fraud-score', { hour: 14, card_present: false, country: 'FR', amount: 129.5 });
  say(dim(`  request ${short(again.requestId)}, cached=${again.cached}, ${again.attempts} attempts, ${ms(t)}`));
  check(again.cached && again.attempts === 0 && again.result.score === first.result.score, 'served from the 30 s cache without a request');

  // 3. Outage: the primary model answers 503; retries, the breaker opens after 5 failures, the backup answers.
  say(bold('\n3. Model outage (fraud-score answers 503)'));
  await admin('scenario', {
    routes: [
      {
        method: 'POST',
        path: '/v1/models/fraud-score/predict',
        responses: Array.from({ length: 20 }, () => ({ status: 503, headers: { 'Retry-After': '0' } })),
        then: 'passthrough',
      },
    ],
  });
  const outage = [];
  for (const amount of [980, 15, 2400]) {
    t = performance.now();
    const p = await client.predict('fraud-score', { amount, country: 'DE', card_present: true });
    outage.push(p);
    say(
      `  amount ${amount}: ${p.result.label} from ${p.model.name} v${p.model.version}, fallback=${p.fallback?.reason}, ${p.attempts} attempt(s), request ${short(p.requestId)}, ${ms(t)}`,
    );
  }
  const log = (await (await admin('requests')).json()).requests;
  const primaryHits = log.filter((r) => r.path === '/v1/models/fraud-score/predict').length;
  check(
    outage.every((p) => p.fallback?.to === 'fraud-score-backup'),
    'every call during the outage was answered by fraud-score-backup',
  );
  check(
    outage[0].fallback?.reason === 'retries_exhausted' && outage[0].attempts === 4,
    'call 1: 3 attempts on the primary, then the backup',
  );
  check(outage[2].fallback?.reason === 'circuit_open' && outage[2].attempts === 1, 'call 3: breaker open, primary not called at all');
  check(
    primaryHits === 6 && client.breakerState('fraud-score') === 'open',
    `breaker opened after 5 consecutive failures (primary saw ${primaryHits - 1} failing + 1 earlier request)`,
  );
  const ids = log.filter((r) => r.headers['x-request-id'] === outage[0].requestId);
  check(
    ids.length === 4 && new Set(ids.map((r) => r.headers['idempotency-key'])).size === 2,
    'one request id across retries and fallback; the backup got its own idempotency key',
  );

  // 4. Recovery through half-open.
  say(bold('\n4. Recovery'));
  await admin('reset', {});
  say(dim(`  waiting ${RESET_MS} ms for the breaker's reset timeout…`));
  await new Promise((r) => setTimeout(r, RESET_MS + 50));
  check(client.breakerState('fraud-score') === 'half-open', 'breaker is half-open: one trial call allowed');
  t = performance.now();
  const recovered = await client.predict('fraud-score', { amount: 42, country: 'FR' });
  say(`  trial: ${recovered.result.label} from ${recovered.model.name} v${recovered.model.version}, ${ms(t)}`);
  check(!recovered.fallback && client.breakerState('fraud-score') === 'closed', 'the trial succeeded and closed the breaker');

  // 5. An async job whose signed callback is verified.
  say(bold('\n5. Async job with a signed callback'));
  let resolveCallback;
  const callback = new Promise((r) => {
    resolveCallback = r;
  });
  const receiver = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      try {
        const job = verifyWebhook(raw, req.headers, DEFAULT_WEBHOOK_SECRET);
        res.writeHead(204).end();
        resolveCallback({ ok: true, job });
      } catch (error) {
        res.writeHead(400).end();
        resolveCallback({ ok: false, error });
      }
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  const callbackUrl = `http://127.0.0.1:${receiver.address().port}/hooks/modelwire`;
  t = performance.now();
  const job = await client.submitJob('sentiment', { text: 'The delivery was fast and the support team was wonderful' }, { callbackUrl });
  say(`  submitted ${job.jobId} (${job.state}), request ${short(job.requestId)}`);
  const done = await client.waitForJob('sentiment', job.jobId, { pollInitialMs: 50, timeoutMs: 10_000 });
  say(`  ${done.jobId} ${done.state}: ${done.result?.label} (confidence ${done.result?.confidence?.toFixed(4)}), ${ms(t)}`);
  const delivered = await Promise.race([
    callback,
    new Promise((r) => setTimeout(() => r({ ok: false, error: 'no callback within 5 s' }), 5000)),
  ]);
  receiver.close();
  check(done.state === 'succeeded', 'the job went queued → running → succeeded');
  check(
    delivered.ok && delivered.job.result.job_id === job.jobId,
    `the callback's X-Modelwire-Signature verified${delivered.ok ? '' : `: ${delivered.error}`}`,
  );

  // 6. Feedback for retraining.
  say(bold('\n6. Feedback'));
  const fb = await client.feedback('fraud-score', { requestId: first.requestId, label: 'legit', outcome: 'confirmed' });
  say(`  feedback ${fb.feedbackId} for request ${short(first.requestId)}: accepted=${fb.accepted}`);
  check(fb.accepted, 'feedback accepted');
} catch (error) {
  failures++;
  console.error(red(`\nunexpected error: ${error?.stack ?? error}`));
} finally {
  await mock.close();
}

const counts = {};
for (const e of events) counts[e.type] = (counts[e.type] ?? 0) + 1;
say(
  dim(
    `\nevents: ${Object.entries(counts)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}`,
  ),
);
if (failures) {
  console.error(red(`\n${failures} step(s) did not behave as described`));
  process.exit(1);
}
say(green(bold('\nall steps behaved as described')));
process.exit(0);
