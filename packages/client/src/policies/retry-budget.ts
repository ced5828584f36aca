/**
 * A token bucket that bounds retries across the whole client, so a fleet cannot stampede a sick
 * model: each retry costs `retryCost`, each success refills `successRefill`, capped at `maxTokens`.
 *
 * @example
 * const budget = new RetryBudget({ maxTokens: 10, retryCost: 1, successRefill: 0.1 });
 * if (budget.tryConsume()) retry(); else giveUp();
 */
export class RetryBudget {
  private tokens: number;

  constructor(private readonly options: { maxTokens: number; retryCost: number; successRefill: number } | false) {
    this.tokens = options === false ? Number.POSITIVE_INFINITY : options.maxTokens;
  }

  /** Takes the cost of one retry; false when the budget is spent. */
  tryConsume(): boolean {
    if (this.options === false) return true;
    if (this.tokens + 1e-9 < this.options.retryCost) return false;
    this.tokens -= this.options.retryCost;
    return true;
  }

  /** Records a successful attempt. */
  onSuccess(): void {
    if (this.options === false) return;
    this.tokens = Math.min(this.options.maxTokens, this.tokens + this.options.successRefill);
  }
}
