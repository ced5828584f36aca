/**
 * Reads an OpenID Provider's discovery document (`<issuer>/.well-known/openid-configuration`) and
 * returns its `jwks_uri`. The document's `issuer` must be the configured one (OpenID Connect
 * Discovery §4.3), else every token would fail its `iss` check later, with a vaguer message.
 *
 * @example
 * const jwksUri = await discoverJwksUri('http://127.0.0.1:8080/realms/modelwire');
 * // 'http://127.0.0.1:8080/realms/modelwire/protocol/openid-connect/certs'
 */
export async function discoverJwksUri(issuer: string, fetchImpl: typeof fetch = fetch): Promise<string> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let response: Response;
  try {
    response = await fetchImpl(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    throw new Error(`modelwire-mock: cannot reach the OIDC issuer at ${url}: ${reasonOf(error)}`);
  }
  if (!response.ok) throw new Error(`modelwire-mock: ${url} answered HTTP ${response.status}; is --oidc-issuer the issuer URL?`);
  let document: { issuer?: unknown; jwks_uri?: unknown };
  try {
    document = (await response.json()) as typeof document;
  } catch {
    throw new Error(`modelwire-mock: ${url} is not JSON`);
  }
  if (document.issuer !== issuer) {
    throw new Error(
      `modelwire-mock: ${url} names issuer ${JSON.stringify(document.issuer)}, not ${JSON.stringify(issuer)}: pass that exact value as --oidc-issuer`,
    );
  }
  if (typeof document.jwks_uri !== 'string' || !URL.canParse(document.jwks_uri)) {
    throw new Error(`modelwire-mock: ${url} has no valid jwks_uri`);
  }
  return document.jwks_uri;
}

function reasonOf(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error instanceof Error ? error.message : String(error)}${cause}`;
}
