/**
 * A minimal Prometheus text-format (0.0.4) registry: counters, gauges and histograms with labels.
 * Enough for one service; use prom-client when you need process metrics or push gateways.
 */

type Labels = Record<string, string>;

/** Escapes a label value as the text format requires (backslash, double quote, newline). */
function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

function formatValue(v: number): string {
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(v);
}

interface Metric {
  render(): string[];
}

/** A counter or a gauge: one number per label set. @example counter.inc({ model: 'fraud-score' }) */
export class Series implements Metric {
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge';

  // Plain fields, not parameter properties: `node src/main.ts` strips types and cannot transform those.
  constructor(name: string, help: string, type: 'counter' | 'gauge') {
    this.name = name;
    this.help = help;
    this.type = type;
  }

  /** Adds `by` (default 1) to the series of these labels. */
  inc(labels: Labels = {}, by = 1): void {
    const key = labelText(labels);
    const entry = this.values.get(key);
    if (entry) entry.value += by;
    else this.values.set(key, { labels, value: by });
  }

  /** Sets the series of these labels (gauges). */
  set(labels: Labels, value: number): void {
    this.values.set(labelText(labels), { labels, value });
  }

  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`];
    for (const { labels, value } of this.values.values()) lines.push(`${this.name}${labelText(labels)} ${formatValue(value)}`);
    return lines;
  }
}

/** A histogram with fixed upper bounds (seconds). @example h.observe({ model: 'fraud-score' }, 0.012) */
export class Histogram implements Metric {
  private readonly series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
  readonly name: string;
  readonly help: string;
  readonly buckets: readonly number[];

  constructor(name: string, help: string, buckets: readonly number[]) {
    this.name = name;
    this.help = help;
    this.buckets = buckets;
  }

  /** Records one observation. */
  observe(labels: Labels, value: number): void {
    const key = labelText(labels);
    let s = this.series.get(key);
    if (!s) {
      s = { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    for (let i = 0; i < this.buckets.length; i++) if (value <= (this.buckets[i] as number)) s.counts[i] = (s.counts[i] as number) + 1;
    s.sum += value;
    s.count += 1;
  }

  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const { labels, counts, sum, count } of this.series.values()) {
      // Counts are already cumulative: an observation increments every bucket whose bound it fits under.
      this.buckets.forEach((le, i) => {
        lines.push(`${this.name}_bucket${labelText({ ...labels, le: formatValue(le) })} ${counts[i]}`);
      });
      lines.push(`${this.name}_bucket${labelText({ ...labels, le: '+Inf' })} ${count}`);
      lines.push(`${this.name}_sum${labelText(labels)} ${sum}`);
      lines.push(`${this.name}_count${labelText(labels)} ${count}`);
    }
    return lines;
  }
}

/**
 * Holds metrics and renders them all.
 *
 * @example
 * const registry = new Registry();
 * const hits = registry.add(new Series('cache_hits_total', 'Cache hits.', 'counter'));
 * hits.inc();
 * registry.render(); // "# HELP cache_hits_total Cache hits.\n# TYPE cache_hits_total counter\ncache_hits_total 1\n"
 */
export class Registry {
  private readonly metrics: Metric[] = [];

  /** Registers a metric and returns it. */
  add<M extends Metric>(metric: M): M {
    this.metrics.push(metric);
    return metric;
  }

  /** The whole exposition, newline-terminated. */
  render(): string {
    return `${this.metrics.flatMap((m) => m.render()).join('\n')}\n`;
  }
}

/** The content type Prometheus expects for the text format. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
