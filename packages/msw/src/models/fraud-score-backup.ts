import { binaryOutputSchema, TRANSACTION_SCHEMA, type TransactionWeights, transactionVersion } from './fraud-score.js';
import type { ModelSpec } from './types.js';

/** fraud-score-backup v1 weights: a smaller regression (amount and card presence only). */
export const FRAUD_BACKUP_V1: TransactionWeights = {
  home_country: 'FR',
  bias: -4.2,
  coefficients: { log_amount: 0.45, card_present: -1.0 },
};

/**
 * The `fraud-score-backup` model, the fallback of `fraud-score`: one version, fewer features.
 *
 * @example
 * fraudScoreBackup().defaultVersion; // '1'
 */
export function fraudScoreBackup(): ModelSpec {
  return {
    name: 'fraud-score-backup',
    description: 'Simpler fraud probability used as the fallback of fraud-score.',
    defaultVersion: '1',
    versions: [transactionVersion('1', '2025-11-02T09:00:00Z', FRAUD_BACKUP_V1)],
    traffic: [{ version: '1', weight: 100 }],
    inputSchema: TRANSACTION_SCHEMA,
    outputSchema: binaryOutputSchema(['legit', 'fraud']),
    thresholds: { min_confidence: 0.55 },
    requiredScopes: ['models:predict'],
  };
}
