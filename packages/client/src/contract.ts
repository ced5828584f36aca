/**
 * `@modelwire/client/contract`: the contract's types, generated from `openapi/modelwire.yaml` by
 * openapi-typescript, for code that talks to the gateway directly, and the contract's default
 * resilience policy.
 *
 * @module contract
 */
export type { components, operations, paths } from './generated/contract.js';
export { DEFAULT_POLICY } from './generated/policy.js';
