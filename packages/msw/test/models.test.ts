import { createHash } from 'node:crypto';
import { canonicalJson } from '@modelwire/client';
import { describe, expect, it } from 'vitest';
import {
  FRAUD_V1,
  FRAUD_V2,
  fraudScore,
  fraudScoreBackup,
  modelInfo,
  sentiment,
  sentimentLogOdds,
  validateWithSchema,
} from '../src/index.js';

const version = (model: ReturnType<typeof fraudScore>, v: string) => model.versions.find((x) => x.version === v)!;
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe('fraud-score', () => {
  const model = fraudScore();

  it('scores with the documented logistic regression (v2)', () => {
    const data = { amount: 5000, country: 'US', card_present: false, hour: 3 };
    const c = FRAUD_V2.coefficients;
    const z = FRAUD_V2.bias + (c.log_amount ?? 0) * Math.log1p(5000) + (c.foreign ?? 0) + (c.night ?? 0) + (c.large ?? 0);
    const result = version(model, '2').predict(data);
    expect(result.score).toBeCloseTo(sigmoid(z), 6);
    expect(result.label).toBe('fraud');
    expect(result.confidence).toBeCloseTo(Math.max(sigmoid(z), 1 - sigmoid(z)), 6);
  });

  it('v1 and v2 use different weights and give different scores', () => {
    const data = { amount: 129.5, country: 'FR', card_present: false };
    const v1 = version(model, '1').predict(data);
    const v2 = version(model, '2').predict(data);
    expect(v1.score).toBeCloseTo(sigmoid(FRAUD_V1.bias + (FRAUD_V1.coefficients.log_amount ?? 0) * Math.log1p(129.5)), 6);
    expect(v1.score).not.toBe(v2.score);
    expect(v1.label).toBe('legit');
  });

  it('is deterministic, and uncertainty is the binary entropy', () => {
    const data = { amount: 800, country: 'DE', card_present: true, hour: 23 };
    const a = version(model, '2').predict(data);
    expect(version(model, '2').predict(data)).toEqual(a);
    const p = a.score ?? 0;
    expect(a.uncertainty_score).toBeCloseTo(-(p * Math.log2(p) + (1 - p) * Math.log2(1 - p)), 5);
    expect(a.confidence).toBeGreaterThanOrEqual(0.5);
    expect(a.confidence).toBeLessThanOrEqual(1);
  });

  it('publishes sha256 of the canonical weights, distinct per version', () => {
    const info = modelInfo(model);
    const expected = createHash('sha256')
      .update(canonicalJson({ model: 'fraud-score', version: '1', weights: FRAUD_V1 }))
      .digest('hex');
    expect(info.versions?.[0]?.sha256).toBe(expected);
    expect(info.versions?.[1]?.sha256).not.toBe(expected);
    expect(info.thresholds.min_confidence).toBe(0.6);
  });

  it('validates input with ajv from the input schema (JSON Pointer fields)', () => {
    expect(validateWithSchema(model.inputSchema, { amount: 1, country: 'FR' })).toBeNull();
    const errors = validateWithSchema(model.inputSchema, { country: 'france', hour: 1.5 });
    expect(errors?.map((e) => e.field).sort()).toEqual(['/amount', '/country', '/hour']);
    expect(errors?.find((e) => e.field === '/country')?.message).toMatch(/pattern/);
  });
});

describe('fraud-score-backup and sentiment', () => {
  it('backup ignores the country and the hour', () => {
    const v = fraudScoreBackup().versions[0]!;
    expect(v.predict({ amount: 300, country: 'US', hour: 2 })).toEqual(v.predict({ amount: 300, country: 'FR', hour: 14 }));
  });

  it('sentiment reads the lexicon with negation', () => {
    expect(sentimentLogOdds('great and fast')).toBeCloseTo(1.8 + 0.8, 9);
    expect(sentimentLogOdds('not good')).toBeCloseTo(-1.2, 9);
    const v = sentiment().versions[0]!;
    expect(v.predict({ text: 'I love it, excellent' }).label).toBe('positive');
    expect(v.predict({ text: 'worst purchase, broken' }).label).toBe('negative');
    expect(v.predict({ text: 'the box' }).confidence).toBeLessThan(0.6);
  });
});
