import { http } from 'msw';
import { errorResponse } from '../envelope.js';
import { requestIds } from '../ids.js';
import { allowedMethods } from '../routes.js';
import { type HandlerOptions, resolveContext } from './context.js';

/**
 * Any other method/path under the base URL: 405 METHOD_NOT_ALLOWED (with `Allow`) for a method the
 * contract does not declare on a known path, else 404 NOT_FOUND. Keep it last.
 *
 * @example
 * server.use(notFoundHandler());
 */
export function notFoundHandler(options: HandlerOptions = {}) {
  const ctx = resolveContext(options);
  return http.all(`${ctx.baseUrl}/*`, ({ request }) => {
    const ids = requestIds(request.headers);
    const path = new URL(request.url).pathname;
    const allowed = allowedMethods(path.slice(new URL(ctx.baseUrl, 'http://base.invalid').pathname.replace(/\/$/, '').length));
    if (allowed && !allowed.includes(request.method)) {
      return errorResponse(405, ids, `${request.method} is not allowed on ${path}: use ${allowed.join(', ')}`, {
        headers: { allow: allowed.join(', ') },
      });
    }
    return errorResponse(404, ids, `no route ${request.method} ${path}: see openapi/modelwire.yaml for the API`);
  });
}
