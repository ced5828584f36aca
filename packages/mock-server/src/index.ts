/**
 * `@modelwire/mock-server`: the modelwire mock gateway over real HTTP, with an admin API.
 *
 * @packageDocumentation
 *
 * @example
 * import { startMockServer } from '@modelwire/mock-server';
 * const server = await startMockServer({ port: 0 });
 * // … point an SDK at server.apiUrl …
 * await server.close();
 */
export { type AdminAnswer, type AdminTargets, handleAdmin, type Scenario } from './admin.js';
export { ACCEPTED_ALGORITHMS, createIssuerVerifier, IssuerKeysUnavailableError, type IssuerOptions } from './issuer-verifier.js';
export { discoverJwksUri } from './oidc-discovery.js';
export { type LoggedRequest, RequestLog } from './request-log.js';
export { parseRolesFile } from './roles-file.js';
export { ScriptBook, type ScriptedResponse, type ScriptedRoute } from './script.js';
export { type MockServer, type MockServerOptions, startMockServer } from './server.js';
