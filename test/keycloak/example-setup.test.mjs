// Runs examples/keycloak/setup-realm.sh (kcadm.sh) against the real Keycloak and checks the realms it creates:
// tokens from the new realms carry the audience, scope and model roles the gateway needs, and the mock gateway
// accepts them. Run: node scripts/keycloak/keycloak.mjs run -- node --test test/keycloak/example-setup.test.mjs
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildClientAssertion, CLIENT_ASSERTION_TYPE } from '../../scripts/keycloak/client-assertion.mjs';
import { ensureDistribution } from '../../scripts/keycloak/distribution.mjs';
import { findJavaHome } from '../../scripts/keycloak/java-home.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCRIPT = join(ROOT, 'examples', 'keycloak', 'setup-realm.sh');
const GATEWAY = 'modelwire-gateway';
const MODELS = ['fraud-score', 'fraud-score-backup', 'sentiment']; // the script's default MODELS
const suffix = randomBytes(4).toString('hex');

let kc;
let workDir;
let common; // the script's environment shared by every run
const created = []; // realms to delete at the end
// One realm per authentication method; before() adds each run's output, the secret and the key pairs.
const realms = {
  secret: { realm: `example-secret-${suffix}`, client: 'orders' },
  es256: { realm: `example-es256-${suffix}`, client: 'Billing', alg: 'ES256', kid: `billing-es-${suffix}` },
  rs256: { realm: `example-rs256-${suffix}`, client: 'billing', alg: 'RS256', kid: `billing-rs-${suffix}` },
};
const NAMES = Object.keys(realms);
const JWT_NAMES = ['es256', 'rs256'];
const SCRIPT_TIMEOUT_MS = 420_000;

/** Runs the script; resolves to { code, stdout, stderr } (stdout may hold a client secret: never print it). */
function runScript(env) {
  return new Promise((resolve) => {
    execFile('bash', [SCRIPT], { env: { ...process.env, ...env }, timeout: SCRIPT_TIMEOUT_MS }, (error, stdout, stderr) =>
      // A run killed by the timeout says so (each kcadm.sh call is a JVM start: slow on a busy 2-core machine).
      resolve({ code: error ? (error.killed ? `killed after ${SCRIPT_TIMEOUT_MS} ms` : (error.code ?? 1)) : 0, stdout, stderr }),
    );
  });
}

async function adminToken() {
  const response = await fetch(`${kc.url}/realms/master/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'password', client_id: 'admin-cli', username: kc.admin.username, password: kc.admin.password }),
  });
  assert.equal(response.status, 200, 'admin token request');
  return (await response.json()).access_token;
}

const tokenUrl = (realm) => `${kc.url}/realms/${realm}/protocol/openid-connect/token`;
const decodeClaims = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));

/** client_credentials token from a realm the script created, authenticated the way the script set the client up. */
async function requestToken(name, scope) {
  const r = realms[name];
  const form = { grant_type: 'client_credentials', client_id: r.client };
  if (scope) form.scope = scope;
  if (!r.privateKeyPem) {
    form.client_secret = r.secret;
  } else {
    // The SDKs' default assertion audience is the token URL; Keycloak accepts it.
    form.client_assertion_type = CLIENT_ASSERTION_TYPE;
    form.client_assertion = buildClientAssertion({
      clientId: r.client,
      audience: tokenUrl(r.realm),
      alg: r.alg,
      kid: r.kid,
      privateKeyPem: r.privateKeyPem,
    });
  }
  const response = await fetch(tokenUrl(r.realm), { method: 'POST', body: new URLSearchParams(form) });
  const body = await response.json();
  assert.equal(response.status, 200, `token request for ${name}: ${body.error ?? ''} ${body.error_description ?? ''}`);
  return body.access_token;
}

before(async () => {
  // Fail, never skip: a missing Keycloak must not look like a passing suite.
  assert.ok(
    process.env.MODELWIRE_KEYCLOAK,
    'MODELWIRE_KEYCLOAK is not set; run via: node scripts/keycloak/keycloak.mjs run -- node --test test/keycloak/example-setup.test.mjs',
  );
  kc = JSON.parse(readFileSync(process.env.MODELWIRE_KEYCLOAK, 'utf8'));
  workDir = mkdtempSync(join(tmpdir(), 'modelwire-kc-example-'));

  // The key pairs a user would make for private_key_jwt: PKCS#8 PEM private key, public JWK with a kid.
  for (const name of JWT_NAMES) {
    const r = realms[name];
    const { publicKey, privateKey } =
      r.alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
    r.privateKeyPem = privateKey.export({ format: 'pem', type: 'pkcs8' });
    r.jwksFile = join(workDir, `${name}-jwks.json`);
    const jwk = { ...publicKey.export({ format: 'jwk' }), kid: r.kid, use: 'sig', alg: r.alg };
    writeFileSync(r.jwksFile, JSON.stringify({ keys: [jwk] }, null, 2));
  }

  common = {
    KEYCLOAK_HOME: ensureDistribution(),
    JAVA_HOME: findJavaHome(),
    KEYCLOAK_URL: kc.url,
    KEYCLOAK_ADMIN: kc.admin.username,
    KEYCLOAK_ADMIN_PASSWORD: kc.admin.password,
    // kcadm.sh starts a JVM per call (~20 per run); C1-only JIT and the serial GC roughly halve their CPU time.
    KC_OPTS: '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC',
  };
  created.push(...NAMES.map((name) => realms[name].realm));
  // All runs at once: each kcadm.sh call is a JVM start, and the runs share nothing (own kcadm config each).
  // The client-secret run uses the script's default SERVICE_CLIENT and MODELS, as a user would.
  await Promise.all(
    NAMES.map(async (name) => {
      const r = realms[name];
      const env = r.jwksFile ? { SERVICE_CLIENT: r.client, PUBLIC_JWKS_FILE: r.jwksFile } : {};
      r.run = await runScript({ ...common, REALM: r.realm, ...env });
    }),
  );
  realms.secret.secret = /^\s*client secret:\s*(\S+)\s*$/m.exec(realms.secret.run.stdout)?.[1];
});

after(async () => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  if (!kc || created.length === 0) return;
  const token = await adminToken();
  for (const realm of created) {
    const response = await fetch(`${kc.url}/admin/realms/${encodeURIComponent(realm)}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.ok([204, 404].includes(response.status), `deleting realm ${realm}: HTTP ${response.status}`);
  }
});

describe('setup-realm.sh', () => {
  test('exits 0 for client-secret and private_key_jwt; prints the secret only for client-secret', () => {
    for (const name of NAMES) {
      const { code, stderr } = realms[name].run;
      // stderr is kcadm's and the script's progress (no secrets); stdout is not shown, it holds the secret.
      assert.equal(code, 0, `${name} run failed:\n${stderr.slice(-2000)}`);
    }
    assert.match(realms.secret.secret ?? '', /^\S{16,}$/, 'the client-secret run prints "client secret: <value>"');
    assert.match(realms.secret.run.stdout, /auth method:\s+client_secret_post or client_secret_basic/);
    for (const name of JWT_NAMES) {
      const { stdout, stderr } = realms[name].run;
      assert.doesNotMatch(stdout, /client secret/);
      // The signing alg follows the key type in the JWKS.
      assert.match(stdout, new RegExp(`auth method:\\s+private_key_jwt \\(${realms[name].alg},`));
      assert.doesNotMatch(stdout + stderr, /PRIVATE KEY/);
    }
  });

  test('a second run on an existing realm fails clearly and changes nothing', async () => {
    const { code, stdout, stderr } = await runScript({ ...common, REALM: realms.secret.realm });
    assert.notEqual(code, 0);
    assert.match(stderr, new RegExp(`Realm ${realms.secret.realm} already exists`));
    assert.match(stderr, /delete it .* or pick another REALM/);
    assert.doesNotMatch(stdout, /client secret/);
    // The client (and its secret) are untouched: the first run's secret still works.
    await requestToken('secret', 'models:predict');
  });

  test('a JWKS holding a private key is refused before anything is created', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const file = join(workDir, 'private-jwks.json');
    writeFileSync(file, JSON.stringify({ keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'oops' }] }));
    const realm = `example-refused-${suffix}`;
    const { code, stderr } = await runScript({ ...common, REALM: realm, PUBLIC_JWKS_FILE: file });
    assert.notEqual(code, 0);
    assert.match(stderr, /holds a private key/);
    const response = await fetch(`${kc.url}/admin/realms/${realm}`, { headers: { authorization: `Bearer ${await adminToken()}` } });
    assert.equal(response.status, 404, `realm ${realm} must not exist`);
  });

  for (const name of NAMES) {
    test(`${name}: scope=models:predict token has aud ${GATEWAY}, the scope and every model role`, async () => {
      const claims = decodeClaims(await requestToken(name, 'models:predict'));
      assert.equal(claims.iss, `${kc.url}/realms/${realms[name].realm}`);
      assert.equal(claims.azp, realms[name].client);
      assert.ok([claims.aud].flat().includes(GATEWAY), `aud ${JSON.stringify(claims.aud)}`);
      assert.ok(claims.scope.split(' ').includes('models:predict'), `scope "${claims.scope}"`);
      assert.deepEqual([...(claims.resource_access?.[GATEWAY]?.roles ?? [])].sort(), MODELS);
    });

    test(`${name}: contract scopes are optional (absent unless asked for), the audience is a default`, async () => {
      const claims = decodeClaims(await requestToken(name));
      const scopes = claims.scope.split(' ');
      for (const scope of kc.scopes) assert.ok(!scopes.includes(scope), `${scope} granted unasked: "${claims.scope}"`);
      assert.ok([claims.aud].flat().includes(GATEWAY));
      const all = decodeClaims(await requestToken(name, kc.scopes.join(' ')));
      for (const scope of kc.scopes) assert.ok(all.scope.split(' ').includes(scope), `${scope} missing: "${all.scope}"`);
    });
  }
});

describe('mock gateway against the new realm', () => {
  let gateway;
  let baseUrl;

  before(async () => {
    gateway = spawn(
      process.execPath,
      [
        join(ROOT, 'packages/mock-server/dist/cli.js'),
        '--port',
        '0',
        '--oidc-issuer',
        `${kc.url}/realms/${realms.es256.realm}`,
        '--audience',
        GATEWAY,
        '--roles',
        join(ROOT, 'test/keycloak/roles.json'),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    gateway.stderr.on('data', (chunk) => (stderr += chunk));
    baseUrl = await new Promise((resolve, reject) => {
      let stdout = '';
      gateway.stdout.on('data', (chunk) => {
        stdout += chunk;
        const match = /listening on (\S+)/.exec(stdout);
        if (match) resolve(match[1]);
      });
      gateway.on('exit', (code) => reject(new Error(`mock gateway exited ${code}: ${stderr.slice(-1000)}`)));
    });
  });

  after(() => {
    if (gateway && gateway.exitCode === null) gateway.kill('SIGTERM');
  });

  const predict = (headers) =>
    fetch(`${baseUrl}/v1/models/fraud-score/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ request_id: 'kc-example-1', data: { amount: 12.5, country: 'FR', card_present: true } }),
    });

  test('predict with an ES256 private_key_jwt token from the new realm is 200', async () => {
    const token = await requestToken('es256', 'models:predict');
    const response = await predict({ authorization: `Bearer ${token}` });
    assert.equal(response.status, 200, await response.text());
  });

  test('the README TypeScript snippet (private_key_jwt) predicts through the SDK', async () => {
    // The SDK's build output, as a user's `import { createClient } from '@modelwire/client'` resolves it.
    const { createClient } = await import(pathToFileURL(join(ROOT, 'packages/client/dist/index.js')).href);
    const r = realms.es256;
    const client = createClient({
      baseUrl: `${baseUrl}/v1`,
      auth: {
        oidc: {
          tokenUrl: tokenUrl(r.realm),
          clientId: r.client,
          scope: 'models:predict',
          authMethod: 'private_key_jwt',
          privateKeyPem: r.privateKeyPem,
          keyId: r.kid,
        },
      },
      retry: { maxRetries: 0 },
    });
    try {
      const data = { amount: 12.5, country: 'FR', card_present: true };
      const prediction = await client.predict('fraud-score', data, { requestId: 'kc-example-2' });
      assert.equal(prediction.requestId, 'kc-example-2');
      assert.equal(prediction.model.name, 'fraud-score');
    } finally {
      await client.close();
    }
  });

  test('without models:predict in the token, predict is 403 insufficient_scope', async () => {
    const token = await requestToken('es256');
    const response = await predict({ authorization: `Bearer ${token}` });
    assert.equal(response.status, 403);
    assert.match(response.headers.get('www-authenticate') ?? '', /insufficient_scope/);
  });
});
