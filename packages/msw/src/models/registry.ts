import { canonicalJson, sha256Hex } from '@modelwire/client';
import type { ModelInfo, Schemas } from '../contract.js';
import { fraudScore } from './fraud-score.js';
import { fraudScoreBackup } from './fraud-score-backup.js';
import { sentiment } from './sentiment.js';
import type { ModelSpec, ModelVersionSpec } from './types.js';

/**
 * The models the mock serves by default: `fraud-score` (v1, v2), `fraud-score-backup` (v1), `sentiment` (v1).
 *
 * @example
 * defaultModels().map((m) => m.name); // ['fraud-score', 'fraud-score-backup', 'sentiment']
 */
export function defaultModels(): ModelSpec[] {
  return [fraudScore(), fraudScoreBackup(), sentiment()];
}

/**
 * SHA-256 hex of the canonical JSON of `{model, version, weights}`: the artifact digest in `/info`.
 *
 * @example
 * versionSha256(fraudScore(), fraudScore().versions[0]!).length; // 64
 */
export function versionSha256(model: ModelSpec, version: ModelVersionSpec): string {
  const dump = canonicalJson({ model: model.name, version: version.version, weights: version.weights });
  return sha256Hex(dump);
}

/**
 * The version that serves a call: the pinned one, else the model's default; `undefined` when the
 * pinned version does not exist.
 *
 * @example
 * resolveVersion(fraudScore(), null)?.version; // '2'
 */
export function resolveVersion(model: ModelSpec, pinned: string | null): ModelVersionSpec | undefined {
  const wanted = pinned ?? model.defaultVersion;
  return model.versions.find((v) => v.version === wanted);
}

/**
 * The contract's `ModelInfo` of a model.
 *
 * @example
 * modelInfo(sentiment()).thresholds.min_confidence; // 0.6
 */
export function modelInfo(model: ModelSpec): ModelInfo {
  return {
    name: model.name,
    description: model.description,
    default_version: model.defaultVersion,
    versions: model.versions.map((v) => ({
      version: v.version,
      state: v.state,
      sha256: versionSha256(model, v),
      created_at: v.createdAt,
    })),
    traffic: model.traffic,
    input_schema: model.inputSchema,
    output_schema: model.outputSchema,
    thresholds: model.thresholds,
    required_scopes: model.requiredScopes,
  };
}

/**
 * The contract's `ModelHealth` of a model.
 *
 * @example
 * modelHealth(sentiment()).state; // 'ready'
 */
export function modelHealth(model: ModelSpec): Schemas['ModelHealth'] {
  const versions = model.versions.map((v) => ({ version: v.version, state: v.state }));
  const state = versions.some((v) => v.state === 'ready') ? 'ready' : (versions[0]?.state ?? 'unavailable');
  return { model: model.name, state, versions };
}

/**
 * The contract's `ModelSummary` of a model (for `GET /models`).
 *
 * @example
 * modelSummary(fraudScore()).versions; // ['1', '2']
 */
export function modelSummary(model: ModelSpec): Schemas['ModelSummary'] {
  return {
    name: model.name,
    description: model.description,
    default_version: model.defaultVersion,
    versions: model.versions.map((v) => v.version),
  };
}
