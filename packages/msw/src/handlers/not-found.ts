import { http } from 'msw';
import { errorResponse } from '../envelope.js';
import { requestIds } from '../ids.js';
import { type HandlerOptions, resolveContext } from './context.js';

/**
 * Any other method/path under the base URL: 404 NOT_FOUND envelope. Keep it last.
 *
 * @example
 * server.use(notFoundHandler());
 */
export function notFoundHandler(options: HandlerOptions = {}) {
  const ctx = resolveContext(options);
  return http.all(`${ctx.baseUrl}/*`, ({ request }) => {
    const ids = requestIds(request.headers);
    const path = new URL(request.url).pathname;
    return errorResponse(404, ids, `no route ${request.method} ${path}: see openapi/modelwire.yaml for the API`);
  });
}
