import { binaryOutputSchema } from './fraud-score.js';
import { binaryResult, logisticProbability } from './logistic.js';
import type { ModelSpec } from './types.js';

/** Log-odds per word (naive-Bayes style): positive words push towards `positive`. */
export const SENTIMENT_V1 = {
  bias: 0.1,
  negators: ['not', 'never', 'no', "don't", "isn't", "wasn't"],
  lexicon: {
    good: 1.2,
    great: 1.8,
    excellent: 2.2,
    love: 2.0,
    amazing: 2.0,
    fast: 0.8,
    happy: 1.5,
    recommend: 1.4,
    perfect: 2.0,
    nice: 1.0,
    bad: -1.4,
    terrible: -2.2,
    awful: -2.2,
    hate: -2.0,
    slow: -0.9,
    broken: -1.8,
    refund: -1.2,
    poor: -1.4,
    worst: -2.4,
    disappointed: -1.8,
  } as Record<string, number>,
};

/**
 * The summed log-odds of a text: lexicon weights, a negator flips the next word.
 *
 * @example
 * sentimentLogOdds('not good') < 0; // true
 */
export function sentimentLogOdds(text: string): number {
  const words = text.toLowerCase().match(/[a-z']+/g) ?? [];
  let z = 0;
  let negate = false;
  for (const word of words) {
    const weight = SENTIMENT_V1.lexicon[word];
    if (weight !== undefined) {
      z += negate ? -weight : weight;
      negate = false;
    } else {
      negate = SENTIMENT_V1.negators.includes(word);
    }
  }
  return z;
}

/**
 * The `sentiment` model: review sentiment from a small lexicon, one version.
 *
 * @example
 * sentiment().versions[0]!.predict({ text: 'great and fast' }).label; // 'positive'
 */
export function sentiment(): ModelSpec {
  return {
    name: 'sentiment',
    description: 'Review sentiment.',
    defaultVersion: '1',
    versions: [
      {
        version: '1',
        state: 'ready',
        createdAt: '2026-03-15T09:00:00Z',
        weights: SENTIMENT_V1,
        predict: (data) =>
          binaryResult(
            logisticProbability({ bias: SENTIMENT_V1.bias, coefficients: { text: 1 } }, { text: sentimentLogOdds(String(data.text)) }),
            'negative',
            'positive',
          ),
      },
    ],
    traffic: [{ version: '1', weight: 100 }],
    inputSchema: {
      type: 'object',
      required: ['text'],
      additionalProperties: true,
      properties: { text: { type: 'string', minLength: 1, maxLength: 5000 }, language: { type: 'string' } },
    },
    outputSchema: binaryOutputSchema(['negative', 'positive']),
    thresholds: { min_confidence: 0.6 },
    requiredScopes: ['models:predict'],
  };
}
