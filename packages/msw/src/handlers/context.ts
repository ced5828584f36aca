import { createMockState, type MockState } from '../state.js';

/** The base URL the handlers answer on unless told otherwise (the contract's `servers[0]`). */
export const DEFAULT_BASE_URL = 'http://127.0.0.1:4010/v1';

/**
 * Options shared by every handler factory.
 *
 * @example
 * const options: HandlerOptions = { baseUrl: 'http://localhost:9999/v1' };
 */
export interface HandlerOptions {
  /** Absolute API base URL, including `/v1` (default {@link DEFAULT_BASE_URL}). */
  baseUrl?: string;
  /** The state to serve from; handlers built with the same state share jobs, auth and feedback. */
  state?: MockState;
}

/** Resolved {@link HandlerOptions}. */
export interface HandlerContext {
  baseUrl: string;
  /** `scheme://host:port` of `baseUrl` (where `/oauth/token` lives). */
  origin: string;
  state: MockState;
}

/**
 * Normalises handler options once: trims the trailing slash, creates a state when none is given.
 *
 * @example
 * resolveContext({ baseUrl: 'http://127.0.0.1:1/v1/' }).baseUrl; // 'http://127.0.0.1:1/v1'
 */
export function resolveContext(options: HandlerOptions | HandlerContext = {}): HandlerContext {
  if ('origin' in options && options.state) return options as HandlerContext;
  const baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  let origin: string;
  try {
    origin = new URL(baseUrl).origin;
  } catch {
    throw new TypeError(`@modelwire/msw: baseUrl must be an absolute URL such as ${DEFAULT_BASE_URL}, got ${JSON.stringify(baseUrl)}`);
  }
  return { baseUrl, origin, state: options.state ?? createMockState() };
}
