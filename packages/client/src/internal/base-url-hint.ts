import { urlForMessage } from './url-for-message.js';

/**
 * What a `NotFound` message adds when the base URL cannot be the API root: the gateway's routes live
 * under `/v1`, so a base URL whose path does not end in `/v1` reaches the host but no route
 * (docs/semantics.md "Errors"). Undefined when the base URL ends in `/v1`.
 *
 * @example baseUrlHint('http://127.0.0.1:4010') // '; the base URL http://127.0.0.1:4010/ does not end in /v1: the API lives under /v1 (e.g. http://127.0.0.1:4010/v1)'
 */
export function baseUrlHint(baseUrl: string): string | undefined {
  const url = new URL(baseUrl);
  const path = url.pathname.replace(/\/+$/, '');
  if (path.endsWith('/v1')) return undefined;
  const shown = urlForMessage(baseUrl);
  return `; the base URL ${shown} does not end in /v1: the API lives under /v1 (e.g. ${url.origin}${path}/v1)`;
}
