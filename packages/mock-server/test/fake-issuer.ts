/**
 * A tiny OIDC issuer for tests: `/.well-known/openid-configuration` and a JWKS on 127.0.0.1, and
 * tokens signed with its keys (RS256 and ES256) by jose's SignJWT.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type JWTPayload, SignJWT } from 'jose';

/** Options of one test token; claims are merged over the defaults (iss, aud, exp = iat + 300). */
export interface TokenSpec {
  claims?: JWTPayload;
  alg?: 'RS256' | 'ES256';
  /** Sign with a key the issuer does not publish, under a published kid (a forged signature). */
  forged?: boolean;
  /** The kid in the header (default: the published key's). */
  kid?: string;
  /** Issued-at in epoch seconds (default: now). */
  iatS?: number;
}

export interface FakeIssuer {
  issuer: string;
  jwksUri: string;
  audience: string;
  /** Makes the JWKS endpoint answer this status (200 = serve the keys). */
  jwksStatus: number;
  /** How many times the JWKS was fetched. */
  jwksFetches: number;
  sign(spec?: TokenSpec): Promise<string>;
  close(): Promise<void>;
}

const keyPair = (alg: 'RS256' | 'ES256') =>
  alg === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });

/**
 * Starts the issuer on a free port; `issuer` is `http://127.0.0.1:<port>/realms/test`.
 *
 * @example
 * const idp = await startFakeIssuer(); const token = await idp.sign({ claims: { scope: 'models:predict' } });
 */
export async function startFakeIssuer(audience = 'modelwire-gateway'): Promise<FakeIssuer> {
  const keys: Record<'RS256' | 'ES256', { privateKey: KeyObject; kid: string; jwk: object }> = {
    RS256: { ...published('RS256', 'rs-1') },
    ES256: { ...published('ES256', 'es-1') },
  };
  const rogue = { RS256: keyPair('RS256').privateKey, ES256: keyPair('ES256').privateKey };
  let issuer = '';
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/realms/test/.well-known/openid-configuration') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/certs`, token_endpoint: `${issuer}/token` }));
      return;
    }
    if (path === '/realms/test/certs') {
      fake.jwksFetches += 1;
      res.writeHead(fake.jwksStatus, { 'content-type': 'application/json' });
      res.end(fake.jwksStatus === 200 ? JSON.stringify({ keys: [keys.RS256.jwk, keys.ES256.jwk] }) : '{"error":"down"}');
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/realms/test`;

  const fake: FakeIssuer = {
    issuer,
    jwksUri: `${issuer}/certs`,
    audience,
    jwksStatus: 200,
    jwksFetches: 0,
    async sign(spec = {}) {
      const alg = spec.alg ?? 'RS256';
      const iat = spec.iatS ?? Math.floor(Date.now() / 1000);
      const claims: JWTPayload = { iss: issuer, aud: [audience, 'account'], iat, exp: iat + 300, sub: 'svc', ...spec.claims };
      return new SignJWT(claims)
        .setProtectedHeader({ alg, typ: 'JWT', kid: spec.kid ?? keys[alg].kid })
        .sign(spec.forged ? rogue[alg] : keys[alg].privateKey);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
  return fake;
}

function published(alg: 'RS256' | 'ES256', kid: string) {
  const { privateKey, publicKey } = keyPair(alg);
  return { privateKey, kid, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' } };
}
