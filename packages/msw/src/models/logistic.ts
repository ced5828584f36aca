import type { PredictionResult } from '../contract.js';

/** A logistic regression: `p = sigmoid(bias + Σ coefficients[f] * features[f])`. */
export interface LogisticWeights {
  bias: number;
  coefficients: Record<string, number>;
}

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

/**
 * The positive-class probability of a logistic regression.
 *
 * @example
 * logisticProbability({ bias: 0, coefficients: { x: 1 } }, { x: 0 }); // 0.5
 */
export function logisticProbability(weights: LogisticWeights, features: Record<string, number>): number {
  let z = weights.bias;
  for (const [name, coefficient] of Object.entries(weights.coefficients)) z += coefficient * (features[name] ?? 0);
  return 1 / (1 + Math.exp(-z));
}

/**
 * Turns a positive-class probability into the result every mock model returns: `label`, `score`
 * (the positive probability), `confidence` (probability of the chosen label), `uncertainty_score`
 * (binary entropy in bits, 0 = certain, 1 = coin flip) and `probabilities`.
 *
 * @example
 * binaryResult(0.9, 'legit', 'fraud').label; // 'fraud'
 */
export function binaryResult(p: number, negative: string, positive: string): PredictionResult {
  const q = 1 - p;
  const entropy = p <= 0 || q <= 0 ? 0 : -(p * Math.log2(p) + q * Math.log2(q));
  return {
    label: p >= 0.5 ? positive : negative,
    score: round(p),
    confidence: round(Math.max(p, q)),
    uncertainty_score: round(entropy),
    probabilities: { [negative]: round(q), [positive]: round(p) },
  };
}
