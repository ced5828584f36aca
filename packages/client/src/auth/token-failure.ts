import { AuthError } from '../errors/error-classes.js';
import { urlForMessage } from '../internal/url-for-message.js';
import { redactText } from '../redact.js';

/** The OAuth error answer's description is shown cut to one line of this many characters. */
const DESCRIPTION_MAX = 200;

/** What went wrong with one token request (docs/semantics.md, "How a token failure is reported"). */
export type TokenProblem =
  | { kind: 'answer'; status: number; body: string }
  | { kind: 'unreachable'; cause: unknown }
  | { kind: 'timeout'; timeoutMs: number; cause: unknown };

/**
 * The one error for "no token from the identity provider": `Auth` / `TOKEN_UNAVAILABLE`, no gateway
 * `httpStatus`, the IdP's status in `idpStatus`, the OAuth `error` / `error_description` in
 * `oauthError` / `oauthErrorDescription`, and a one-line message naming the token URL (no
 * credentials, no query) and the fix. `secrets` (client secret, tokens) are scrubbed from all of it.
 *
 * @example throw tokenFailure('https://sso/token', { kind: 'answer', status: 401, body: '{"error":"invalid_client"}' }, [secret]);
 */
export function tokenFailure(tokenUrl: string, problem: TokenProblem, secrets: string[]): AuthError {
  const where = `the token endpoint ${urlForMessage(tokenUrl)}`;
  if (problem.kind === 'timeout') {
    return new AuthError(`${where} did not answer within ${problem.timeoutMs} ms`, { code: 'TOKEN_UNAVAILABLE', cause: problem.cause });
  }
  if (problem.kind === 'unreachable') {
    const cause = problem.cause as { message?: unknown; code?: unknown } | undefined;
    const reason = [cause?.message, cause?.code].filter((v) => typeof v === 'string' && v !== '').join(' ');
    return new AuthError(redactText(`could not reach ${where}${reason ? `: ${reason}` : ''}`, secrets), {
      code: 'TOKEN_UNAVAILABLE',
      cause: problem.cause,
    });
  }
  const oauth = oauthErrorOf(problem.body);
  const description = oauth.description === undefined ? undefined : oneLine(redactText(oauth.description, secrets));
  const what = problem.status === 200 ? 'answered HTTP 200 without an access_token' : `refused the token request: HTTP ${problem.status}`;
  const detail = [oauth.error, description === undefined ? undefined : `(${description})`].filter(Boolean).join(' ');
  const message = `${where} ${what}${detail ? ` ${detail}` : ''}${hintFor(oauth.error)}`;
  const error = new AuthError(redactText(message, secrets), { code: 'TOKEN_UNAVAILABLE' });
  return Object.assign(error, { idpStatus: problem.status, oauthError: oauth.error, oauthErrorDescription: description });
}

/** `{error, error_description}` of an RFC 6749 §5.2 answer, when the body is one. */
function oauthErrorOf(body: string): { error?: string; description?: string } {
  try {
    const json = JSON.parse(body) as { error?: unknown; error_description?: unknown };
    return {
      error: typeof json.error === 'string' && /^[\x20-\x7e]{1,100}$/.test(json.error) ? json.error : undefined,
      description: typeof json.error_description === 'string' ? json.error_description : undefined,
    };
  } catch {
    return {};
  }
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > DESCRIPTION_MAX ? `${line.slice(0, DESCRIPTION_MAX - 1)}…` : line;
}

function hintFor(oauthError: string | undefined): string {
  if (oauthError === 'invalid_client' || oauthError === 'unauthorized_client') return ': check the client id and its secret or key';
  if (oauthError === 'invalid_scope') return ': check the requested scope';
  return '';
}
