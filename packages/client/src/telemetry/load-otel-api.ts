import { createRequire } from 'node:module';
import type { OtelApi } from './otel-api.js';

let loaded: OtelApi | null | undefined;

/**
 * `@opentelemetry/api` when the application installed it, else undefined (then no telemetry and no
 * cost). Loaded once, synchronously, from this package's location: the API keeps its state on
 * `globalThis`, so this copy sees the providers the application registered with its own copy.
 *
 * @example const api = loadOtelApi(); if (api) api.trace.getTracer('modelwire');
 */
export function loadOtelApi(): OtelApi | undefined {
  if (loaded === undefined) {
    try {
      // Resolved from this module's location (the CJS build gets `import.meta.url` from tsup's shim).
      loaded = createRequire(import.meta.url)('@opentelemetry/api') as OtelApi;
    } catch {
      loaded = null;
    }
  }
  return loaded ?? undefined;
}
