import { isDeepStrictEqual } from 'node:util';
import type { LoggedRequest } from './mock-admin.js';
import type { Observation } from './scenario.js';

/**
 * Reads one field of a logged request: `header:<name>`, `body:<dot.path>`, or `trace_id` / `span_id`
 * parsed from the `traceparent` header. `undefined` when absent.
 *
 * @example
 * fieldOf(request, 'header:x-request-id');
 * fieldOf(request, 'body:meta.input_digest');
 */
export function fieldOf(request: LoggedRequest, field: string): unknown {
  const header = (name: string) => {
    const value = request.headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(', ') : value;
  };
  if (field.startsWith('header:')) return header(field.slice(7));
  if (field.startsWith('body:')) {
    let value: unknown = request.body;
    for (const key of field.slice(5).split('.')) {
      if (value === null || typeof value !== 'object') return undefined;
      value = (value as Record<string, unknown>)[key];
    }
    return value;
  }
  const parts = header('traceparent')?.split('-');
  if (field === 'trace_id') return parts?.[1];
  if (field === 'span_id') return parts?.[2];
  throw new Error(`unknown observation field ${field}`);
}

const show = (v: unknown) => (v === undefined ? 'absent' : JSON.stringify(v));

/** One value of `field` per path, and different values between the paths. */
function checkDistinctBetweenPaths(where: string, field: string, paths: string[], selected: LoggedRequest[]): string[] {
  const problems: string[] = [];
  const perPath = paths.map((p) => selected.filter((r) => r.path === p).map((r) => JSON.stringify(fieldOf(r, field))));
  const groupValues: string[] = [];
  for (const [i, values] of perPath.entries()) {
    const unique = new Set(values);
    if (values.length === 0 || unique.size !== 1 || values.includes(undefined as unknown as string)) {
      problems.push(`${where}: ${field} should be one value per path; ${paths[i]} has [${values.join(', ')}]`);
    } else groupValues.push(values[0] as string);
  }
  if (groupValues.length === paths.length && new Set(groupValues).size !== groupValues.length) {
    problems.push(`${where}: ${field} should differ between paths, saw ${groupValues.join(' / ')}`);
  }
  return problems;
}

/**
 * Checks one observation against the request log and returns what did not hold (empty = passed).
 * Checks other than counts need at least one selected request, so they can never pass vacuously.
 *
 * @example
 * checkObservation({ method: 'POST', path: '/v1/models/m/predict', count: 3, same: ['header:idempotency-key'] }, log);
 */
export function checkObservation(o: Observation, log: LoggedRequest[]): string[] {
  const paths = o.paths ?? [o.path as string];
  const selected = log.filter((r) => paths.includes(r.path) && (o.method === undefined || r.method === o.method));
  const where = `${o.method ?? '*'} ${paths.join(' + ')}`;
  const problems: string[] = [];
  const n = selected.length;
  if (o.count !== undefined && n !== o.count) problems.push(`${where}: expected ${o.count} requests, saw ${n}`);
  if (o.count_min !== undefined && n < o.count_min) problems.push(`${where}: expected ≥ ${o.count_min} requests, saw ${n}`);
  if (o.count_max !== undefined && n > o.count_max) problems.push(`${where}: expected ≤ ${o.count_max} requests, saw ${n}`);
  const needsRequests = o.same || o.distinct || o.distinct_between_paths || o.present || o.absent || o.equals || o.matches;
  if (needsRequests && n === 0) {
    problems.push(`${where}: no request to check field expectations against`);
    return problems;
  }
  for (const field of o.same ?? []) {
    const values = selected.map((r) => fieldOf(r, field));
    if (values.some((v) => v === undefined)) problems.push(`${where}: ${field} missing on some requests: ${values.map(show).join(', ')}`);
    else if (new Set(values.map((v) => JSON.stringify(v))).size !== 1) {
      problems.push(`${where}: ${field} differs between requests: ${values.map(show).join(', ')}`);
    }
  }
  for (const field of o.distinct ?? []) {
    const values = selected.map((r) => fieldOf(r, field));
    if (values.some((v) => v === undefined)) problems.push(`${where}: ${field} missing on some requests: ${values.map(show).join(', ')}`);
    else if (new Set(values.map((v) => JSON.stringify(v))).size !== values.length) {
      problems.push(`${where}: ${field} repeats between requests: ${values.map(show).join(', ')}`);
    }
  }
  for (const field of o.distinct_between_paths ?? []) problems.push(...checkDistinctBetweenPaths(where, field, paths, selected));
  for (const r of selected) {
    for (const field of o.present ?? []) {
      if (fieldOf(r, field) === undefined) problems.push(`${where} #${r.seq}: ${field} should be present`);
    }
    for (const field of o.absent ?? []) {
      const v = fieldOf(r, field);
      if (v !== undefined) problems.push(`${where} #${r.seq}: ${field} should be absent, saw ${show(v)}`);
    }
    for (const [field, expected] of Object.entries(o.equals ?? {})) {
      const v = fieldOf(r, field);
      if (!isDeepStrictEqual(v, expected)) problems.push(`${where} #${r.seq}: ${field} expected ${show(expected)}, saw ${show(v)}`);
    }
    for (const [field, pattern] of Object.entries(o.matches ?? {})) {
      const v = fieldOf(r, field);
      if (typeof v !== 'string' || !new RegExp(pattern).test(v)) {
        problems.push(`${where} #${r.seq}: ${field} should match /${pattern}/, saw ${show(v)}`);
      }
    }
  }
  return problems;
}
