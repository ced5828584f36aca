import { HttpResponse, http } from 'msw';
import { type HandlerOptions, resolveContext } from './context.js';

/**
 * `POST <origin>/oauth/token`: a fake OIDC client-credentials endpoint. Tokens it issues are accepted
 * by the other handlers until `expires_in` passes.
 *
 * @example
 * const res = await fetch('http://127.0.0.1:4010/oauth/token', { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'svc', client_secret: 's3cret' }) });
 */
export function oauthTokenHandler(options: HandlerOptions = {}) {
  const ctx = resolveContext(options);
  return http.post(`${ctx.origin}/oauth/token`, async ({ request }) => {
    const form = new URLSearchParams(await request.text());
    const answer = ctx.state.auth.issue(form, request.headers.get('authorization'), request.url);
    return HttpResponse.json(answer.body, { status: answer.status, headers: { 'Cache-Control': 'no-store' } });
  });
}
