/**
 * The code under test: a checkout service asks the fraud model (through `@modelwire/client`) before
 * charging a card. Retries, breaker, backup model and typed errors all come from the client; the
 * service only maps the answer to a decision.
 */
import { type ModelwireClient, ModelwireError, type Prediction, RateLimitError, ValidationError } from '@modelwire/client';

/** An order as the checkout sees it. */
export interface Order {
  id: string;
  amount: number;
  country: string;
  cardPresent: boolean;
  hour?: number;
}

/** What the checkout does with an order, and why. */
export type Decision =
  | { decision: 'approve' | 'reject'; model: string; fallback: boolean; attempts: number; requestId: string }
  | { decision: 'review'; reason: string; fields?: string[]; retryAfterMs?: number };

/**
 * Scores one order. Low confidence, bad input (422) and throttling (429) send the order to manual
 * review; an outage of the primary model is absorbed by the client's fallback to the backup model.
 *
 * @example
 * const client = createClient({ baseUrl, fallbacks: { 'fraud-score': 'fraud-score-backup' } });
 * const d = await decideCheckout(client, { id: 'o-1', amount: 25, country: 'FR', cardPresent: false });
 */
export async function decideCheckout(client: ModelwireClient, order: Order): Promise<Decision> {
  let p: Prediction;
  try {
    p = await client.predict(
      'fraud-score',
      {
        amount: order.amount,
        country: order.country,
        card_present: order.cardPresent,
        ...(order.hour === undefined ? {} : { hour: order.hour }),
      },
      { requestId: `order-${order.id}` },
    );
  } catch (error) {
    if (error instanceof ValidationError) {
      return { decision: 'review', reason: 'invalid_input', fields: error.errors.map((e) => e.field) };
    }
    if (error instanceof RateLimitError) return { decision: 'review', reason: 'rate_limited', retryAfterMs: error.retryAfterMs };
    if (error instanceof ModelwireError) return { decision: 'review', reason: error.code };
    throw error;
  }
  if (p.lowConfidence) return { decision: 'review', reason: 'low_confidence' };
  return {
    decision: p.result.label === 'fraud' ? 'reject' : 'approve',
    model: p.model.name,
    fallback: p.fallback !== undefined,
    attempts: p.attempts,
    requestId: p.requestId,
  };
}
