import type { PredictionResult, Schemas } from '../contract.js';

/** One version of a mock model: its weights (hashed into `sha256`) and its deterministic predictor. */
export interface ModelVersionSpec {
  version: string;
  state: Schemas['ModelState'];
  /** ISO date-time the version was "trained". */
  createdAt: string;
  /** The parameters; `sha256` in `/info` is the SHA-256 of their canonical JSON. */
  weights: Record<string, unknown>;
  /** Scores an input that already matched the model's `inputSchema`. */
  predict(data: Record<string, unknown>): PredictionResult;
}

/**
 * A model the mock serves: versions, traffic split, JSON Schemas of input and output, thresholds.
 *
 * @example
 * const names = defaultModels().map((m: ModelSpec) => m.name);
 */
export interface ModelSpec {
  name: string;
  description: string;
  defaultVersion: string;
  versions: ModelVersionSpec[];
  traffic: Schemas['TrafficSplit'][];
  inputSchema: Record<string, unknown>;
  outputSchema: Record<string, unknown>;
  thresholds: { min_confidence: number };
  requiredScopes: string[];
}
