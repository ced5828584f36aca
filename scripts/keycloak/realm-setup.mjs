// Configures the `modelwire` realm through Keycloak's admin REST API and returns what clients need to know about it.
import { randomBytes } from 'node:crypto';
import { generateSigningKey } from './signing-keys.mjs';

export const REALM = 'modelwire';
export const AUDIENCE = 'modelwire-gateway';
/** The mock gateway's models; each is a client role of modelwire-gateway. */
export const MODEL_ROLES = ['fraud-score', 'fraud-score-backup', 'sentiment'];
/** The OAuth scopes of openapi/modelwire.yaml (components.securitySchemes.oauth2). */
export const CONTRACT_SCOPES = ['models:read', 'models:predict', 'jobs:read', 'jobs:write', 'feedback:write'];
const AUDIENCE_SCOPE = 'modelwire-audience';
const ACCESS_TOKEN_LIFESPAN_SECONDS = 300;

const SERVICE_CLIENTS = [
  { clientId: 'svc-post', auth: 'client_secret_post', roles: MODEL_ROLES },
  { clientId: 'svc-basic', auth: 'client_secret_basic', roles: MODEL_ROLES },
  { clientId: 'svc-short', auth: 'client_secret_post', roles: MODEL_ROLES, accessTokenLifespan: 10 },
  { clientId: 'svc-norole', auth: 'client_secret_post', roles: [] },
  { clientId: 'svc-jwt-rs256', auth: 'private_key_jwt', alg: 'RS256', roles: MODEL_ROLES },
  { clientId: 'svc-jwt-es256', auth: 'private_key_jwt', alg: 'ES256', roles: MODEL_ROLES },
];

const randomSecret = () => randomBytes(24).toString('base64url');

async function adminToken(url, admin) {
  const response = await fetch(`${url}/realms/master/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'password', client_id: 'admin-cli', username: admin.username, password: admin.password }),
  });
  if (!response.ok) throw new Error(`admin token request failed with HTTP ${response.status}`);
  return (await response.json()).access_token;
}

function adminClient(url, token) {
  // Errors name the method, path and Keycloak's message only, never a request body (it may hold secrets).
  async function request(method, path, body) {
    const response = await fetch(`${url}/admin/realms${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      const detail = await response.text().catch(() => '');
      const error = new Error(`Keycloak admin ${method} ${path} failed with HTTP ${response.status}: ${detail.slice(0, 200)}`);
      error.status = response.status;
      throw error;
    }
    return response;
  }
  const idFromLocation = (response) => response.headers.get('location').split('/').pop();
  return {
    get: async (path) => (await request('GET', path)).json(),
    create: async (path, body) => idFromLocation(await request('POST', path, body)),
    post: (path, body) => request('POST', path, body),
    put: (path, body) => request('PUT', path, body),
    delete: (path) => request('DELETE', path),
  };
}

async function createRealm(api) {
  const realm = { realm: REALM, enabled: true, accessTokenLifespan: ACCESS_TOKEN_LIFESPAN_SECONDS };
  try {
    await api.post('', realm);
  } catch (error) {
    if (error.status !== 409) throw error;
    // Idempotent: start over from a clean realm.
    await api.delete(`/${REALM}`);
    await api.post('', realm);
  }
}

async function createGatewayClient(api) {
  const id = await api.create(`/${REALM}/clients`, {
    clientId: AUDIENCE,
    name: 'modelwire gateway (resource server)',
    protocol: 'openid-connect',
    publicClient: false,
    secret: randomSecret(),
    standardFlowEnabled: false,
    implicitFlowEnabled: false,
    directAccessGrantsEnabled: false,
    serviceAccountsEnabled: false,
  });
  for (const role of MODEL_ROLES) await api.post(`/${REALM}/clients/${id}/roles`, { name: role, description: `May use model ${role}` });
  const roles = await Promise.all(MODEL_ROLES.map((role) => api.get(`/${REALM}/clients/${id}/roles/${encodeURIComponent(role)}`)));
  return { id, roles: new Map(roles.map((role) => [role.name, { id: role.id, name: role.name }])) };
}

async function createClientScopes(api) {
  const audienceScopeId = await api.create(`/${REALM}/client-scopes`, {
    name: AUDIENCE_SCOPE,
    protocol: 'openid-connect',
    attributes: { 'include.in.token.scope': 'false', 'display.on.consent.screen': 'false' },
    protocolMappers: [
      {
        name: `${AUDIENCE}-audience`,
        protocol: 'openid-connect',
        protocolMapper: 'oidc-audience-mapper',
        config: {
          'included.client.audience': AUDIENCE,
          'access.token.claim': 'true',
          'id.token.claim': 'false',
          'introspection.token.claim': 'true',
        },
      },
    ],
  });
  const contractScopeIds = new Map();
  for (const scope of CONTRACT_SCOPES) {
    const id = await api.create(`/${REALM}/client-scopes`, {
      name: scope,
      protocol: 'openid-connect',
      attributes: { 'include.in.token.scope': 'true', 'display.on.consent.screen': 'false' },
    });
    contractScopeIds.set(scope, id);
  }
  return { audienceScopeId, contractScopeIds };
}

async function createServiceClient(api, spec, gateway, scopes) {
  const secret = spec.auth === 'private_key_jwt' ? undefined : randomSecret();
  const key = spec.alg ? generateSigningKey(spec.alg) : undefined;
  const attributes = {};
  if (spec.accessTokenLifespan) attributes['access.token.lifespan'] = String(spec.accessTokenLifespan);
  if (key) {
    attributes['token.endpoint.auth.signing.alg'] = spec.alg;
    attributes['use.jwks.string'] = 'true';
    attributes['jwks.string'] = JSON.stringify({ keys: [key.publicJwk] });
  }
  const id = await api.create(`/${REALM}/clients`, {
    clientId: spec.clientId,
    protocol: 'openid-connect',
    publicClient: false,
    clientAuthenticatorType: key ? 'client-jwt' : 'client-secret',
    ...(secret ? { secret } : {}),
    serviceAccountsEnabled: true,
    standardFlowEnabled: false,
    implicitFlowEnabled: false,
    directAccessGrantsEnabled: false,
    attributes,
  });
  await api.put(`/${REALM}/clients/${id}/default-client-scopes/${scopes.audienceScopeId}`);
  for (const scopeId of scopes.contractScopeIds.values()) await api.put(`/${REALM}/clients/${id}/optional-client-scopes/${scopeId}`);
  if (spec.roles.length > 0) {
    const serviceAccount = await api.get(`/${REALM}/clients/${id}/service-account-user`);
    await api.post(
      `/${REALM}/users/${serviceAccount.id}/role-mappings/clients/${gateway.id}`,
      spec.roles.map((role) => gateway.roles.get(role)),
    );
  }
  const description = { client_id: spec.clientId, auth: spec.auth, roles: spec.roles };
  if (secret) description.client_secret = secret;
  if (spec.accessTokenLifespan) description.access_token_lifespan = spec.accessTokenLifespan;
  if (key) Object.assign(description, { alg: spec.alg, kid: key.kid, private_key_pem: key.privateKeyPem });
  return description;
}

/**
 * Creates realm `modelwire` (recreating it if present) with the gateway client, its model roles, the contract scopes
 * and the service clients; returns the realm's client descriptions (secrets and private keys included).
 *
 * @example const { clients } = await configureRealm({ url: 'http://127.0.0.1:41234', admin: { username, password } });
 */
export async function configureRealm({ url, admin }) {
  const api = adminClient(url, await adminToken(url, admin));
  await createRealm(api);
  const gateway = await createGatewayClient(api);
  const scopes = await createClientScopes(api);
  const clients = {};
  for (const spec of SERVICE_CLIENTS) clients[spec.clientId] = await createServiceClient(api, spec, gateway, scopes);
  return { clients };
}
