/**
 * The Keycloak auth suite (test/keycloak/SUITE.md) for the TypeScript SDK: a real Keycloak, a mock
 * gateway that checks its tokens, the SDK used as a user would.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { AuthError, type ClientOptions, createClient, type OidcOptions } from '../src/index.js';

interface KeycloakClient {
  client_id: string;
  client_secret?: string;
  private_key_pem?: string;
  kid?: string;
  alg?: 'RS256' | 'ES256';
}
const descriptionPath = process.env.MODELWIRE_KEYCLOAK;
const gateway = process.env.MODELWIRE_KEYCLOAK_GATEWAY;
if (!descriptionPath || !gateway)
  throw new Error('MODELWIRE_KEYCLOAK and MODELWIRE_KEYCLOAK_GATEWAY must be set (run scripts/test-keycloak.sh)');
const kc = JSON.parse(readFileSync(descriptionPath, 'utf8')) as { token_url: string; clients: Record<string, KeycloakClient> };
const origin = new URL(gateway).origin;
const TX = { amount: 12.5, country: 'FR', card_present: true };

/** The OIDC options for Keycloak client `name`, asking for the scope the gateway requires for predict. */
function oidc(name: string, extra: Partial<OidcOptions> = {}): OidcOptions {
  const c = kc.clients[name] as KeycloakClient;
  if (c.private_key_pem) {
    return {
      tokenUrl: kc.token_url,
      clientId: c.client_id,
      scope: 'models:predict',
      authMethod: 'private_key_jwt',
      privateKeyPem: c.private_key_pem,
      keyId: c.kid,
      algorithm: c.alg,
      ...extra,
    };
  }
  return { tokenUrl: kc.token_url, clientId: c.client_id, clientSecret: c.client_secret, scope: 'models:predict', ...extra };
}
const client = (auth: OidcOptions, options: Partial<ClientOptions> = {}) =>
  createClient({ baseUrl: gateway, auth: { oidc: auth }, retry: { maxRetries: 0 }, cache: false, ...options });

type Logged = { seq: number; headers: Record<string, string> };
const requestLog = async () => ((await (await fetch(`${origin}/__admin/requests`)).json()) as { requests: Logged[] }).requests;
// The gateway is shared and never reset: count only requests logged after this suite started (re-runs stay exact).
const since = Math.max(0, ...(await requestLog()).map((r) => r.seq));

/** The `Authorization` headers the gateway saw on this run's requests whose id starts with `prefix`. */
async function authorizationsSeen(prefix: string): Promise<string[]> {
  return (await requestLog())
    .filter((r) => r.seq > since && r.headers['x-request-id']?.startsWith(prefix))
    .map((r) => r.headers.authorization ?? '');
}

async function predictAll(c: ReturnType<typeof client>, prefix: string, n: number) {
  for (let i = 0; i < n; i++) await c.predict('fraud-score', TX, { requestId: `${prefix}-${i}` });
}

describe('TypeScript SDK against a real Keycloak (test/keycloak/SUITE.md)', () => {
  it('K1 client_secret_post: one token for many calls', async () => {
    const c = client(oidc('svc-post'));
    await predictAll(c, 'kc-ts-k1', 3);
    const seen = await authorizationsSeen('kc-ts-k1-');
    expect(seen).toHaveLength(3);
    expect(new Set(seen).size).toBe(1);
    await c.close();
  });

  it('K2 client_secret_basic', async () => {
    const c = client(oidc('svc-basic', { authMethod: 'client_secret_basic' }));
    await predictAll(c, 'kc-ts-k2', 1);
    await c.close();
  });

  it('K3 private_key_jwt with RS256 and ES256', async () => {
    for (const name of ['svc-jwt-rs256', 'svc-jwt-es256']) {
      const c = client(oidc(name));
      await predictAll(c, `kc-ts-k3-${name}`, 1);
      await c.close();
    }
  });

  it('K4 a wrong secret: TOKEN_UNAVAILABLE with the IdP status and OAuth error, no secret in the message', async () => {
    const real = kc.clients['svc-post']?.client_secret as string;
    const c = client(oidc('svc-post', { clientSecret: 'wrong-secret-k4' }));
    const error = (await c.predict('fraud-score', TX, { requestId: 'kc-ts-k4-0' }).catch((e: unknown) => e)) as AuthError;
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ code: 'TOKEN_UNAVAILABLE', httpStatus: undefined, idpStatus: 401, oauthError: 'unauthorized_client' });
    expect(error.message).not.toContain('wrong-secret-k4');
    expect(error.message).not.toContain(real);
    expect(await authorizationsSeen('kc-ts-k4-')).toHaveLength(0);
    await c.close();
  });

  it('K5 an unknown scope: invalid_scope', async () => {
    const c = client(oidc('svc-post', { scope: 'models:predict no-such-scope' }));
    const error = (await c.predict('fraud-score', TX, { requestId: 'kc-ts-k5-0' }).catch((e: unknown) => e)) as AuthError;
    expect(error).toMatchObject({ code: 'TOKEN_UNAVAILABLE', idpStatus: 400, oauthError: 'invalid_scope' });
    expect(error.message).toContain('scope');
    await c.close();
  });

  it('K6 a client without the model role: the gateway’s 403', async () => {
    const c = client(oidc('svc-norole'));
    const error = (await c.predict('fraud-score', TX, { requestId: 'kc-ts-k6-0' }).catch((e: unknown) => e)) as AuthError;
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ code: 'FORBIDDEN', httpStatus: 403 });
    await c.close();
  });

  it('K7 a 10-second token is not fetched per call', async () => {
    const c = client(oidc('svc-short'));
    await predictAll(c, 'kc-ts-k7', 3);
    const seen = await authorizationsSeen('kc-ts-k7-');
    expect(seen).toHaveLength(3);
    expect(new Set(seen).size).toBe(1);
    await c.close();
  });

  it('K8 the IdP goes away: the due but still valid token keeps working', async () => {
    const forwarder = await tcpForwarder(new URL(kc.token_url));
    const tokenUrl = kc.token_url.replace(new URL(kc.token_url).host, `127.0.0.1:${forwarder.port}`);
    const c = client(oidc('svc-short', { tokenUrl }));
    await predictAll(c, 'kc-ts-k8-a', 1);
    await forwarder.cut();
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    await predictAll(c, 'kc-ts-k8-b', 1);
    const seen = [...(await authorizationsSeen('kc-ts-k8-a-')), ...(await authorizationsSeen('kc-ts-k8-b-'))];
    expect(new Set(seen).size).toBe(1);
    await c.close();
  });

  it('K9 20 concurrent cold calls share one token request', async () => {
    const c = client(oidc('svc-post'));
    await Promise.all(Array.from({ length: 20 }, (_, i) => c.predict('fraud-score', TX, { requestId: `kc-ts-k9-${i}` })));
    const seen = await authorizationsSeen('kc-ts-k9-');
    expect(seen).toHaveLength(20);
    expect(new Set(seen).size).toBe(1);
    await c.close();
  });
});

/** A TCP forwarder to `target`'s host that can be cut (listener closed, open connections destroyed). */
async function tcpForwarder(target: URL): Promise<{ port: number; cut: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const { connect } = await import('node:net');
  const server: Server = createServer((inbound) => {
    const outbound = connect(Number(target.port), target.hostname);
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    cut: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
