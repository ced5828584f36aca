import { binaryResult, type LogisticWeights, logisticProbability } from './logistic.js';
import type { ModelSpec, ModelVersionSpec } from './types.js';

/** JSON Schema of a card transaction (`data` of fraud-score and fraud-score-backup). */
export const TRANSACTION_SCHEMA = {
  type: 'object',
  required: ['amount'],
  additionalProperties: true,
  properties: {
    amount: { type: 'number', minimum: 0 },
    country: { type: 'string', pattern: '^[A-Z]{2}$' },
    card_present: { type: 'boolean' },
    hour: { type: 'integer', minimum: 0, maximum: 23 },
  },
} as const;

/** JSON Schema of a binary classification result. */
export function binaryOutputSchema(labels: [string, string]): Record<string, unknown> {
  return {
    type: 'object',
    required: ['label', 'score', 'confidence', 'uncertainty_score'],
    properties: {
      label: { type: 'string', enum: labels },
      score: { type: 'number', minimum: 0, maximum: 1 },
      confidence: { type: 'number', minimum: 0.5, maximum: 1 },
      uncertainty_score: { type: 'number', minimum: 0, maximum: 1 },
      probabilities: { type: 'object', additionalProperties: { type: 'number' } },
    },
  };
}

/** Weights of a transaction model; `home_country` decides the `foreign` feature. */
export interface TransactionWeights extends LogisticWeights {
  home_country: string;
}

/**
 * The features every transaction model reads: `log_amount`, `foreign`, `card_present`, `night`
 * (hour 0–5) and `large` (amount ≥ 1000).
 *
 * @example
 * transactionFeatures({ amount: 0, country: 'FR' }, 'FR').foreign; // 0
 */
export function transactionFeatures(data: Record<string, unknown>, homeCountry: string): Record<string, number> {
  const amount = Number(data.amount);
  const hour = typeof data.hour === 'number' ? data.hour : 12;
  return {
    log_amount: Math.log1p(amount),
    foreign: typeof data.country === 'string' && data.country !== homeCountry ? 1 : 0,
    card_present: data.card_present === true ? 1 : 0,
    night: hour < 6 ? 1 : 0,
    large: amount >= 1000 ? 1 : 0,
  };
}

/** A model version that scores transactions with fixed logistic weights. */
export function transactionVersion(version: string, createdAt: string, weights: TransactionWeights): ModelVersionSpec {
  return {
    version,
    state: 'ready',
    createdAt,
    weights: { ...weights },
    predict: (data) => binaryResult(logisticProbability(weights, transactionFeatures(data, weights.home_country)), 'legit', 'fraud'),
  };
}

/** fraud-score v1 weights. */
export const FRAUD_V1: TransactionWeights = {
  home_country: 'FR',
  bias: -5.0,
  coefficients: { log_amount: 0.55, foreign: 1.2, card_present: -1.4, night: 0.9 },
};

/** fraud-score v2 weights: retrained, adds the `large` feature. */
export const FRAUD_V2: TransactionWeights = {
  home_country: 'FR',
  bias: -5.6,
  coefficients: { log_amount: 0.62, foreign: 1.5, card_present: -1.8, night: 1.1, large: 0.7 },
};

/**
 * The `fraud-score` model: card-not-present fraud probability, versions "1" and "2" (default "2",
 * traffic 10/90).
 *
 * @example
 * fraudScore().versions.find((v) => v.version === '2')!.predict({ amount: 129.5 }).label; // 'legit'
 */
export function fraudScore(): ModelSpec {
  return {
    name: 'fraud-score',
    description: 'Card-not-present fraud probability.',
    defaultVersion: '2',
    versions: [transactionVersion('1', '2026-01-10T09:00:00Z', FRAUD_V1), transactionVersion('2', '2026-06-01T09:00:00Z', FRAUD_V2)],
    traffic: [
      { version: '1', weight: 10 },
      { version: '2', weight: 90 },
    ],
    inputSchema: TRANSACTION_SCHEMA,
    outputSchema: binaryOutputSchema(['legit', 'fraud']),
    thresholds: { min_confidence: 0.6 },
    requiredScopes: ['models:predict'],
  };
}
