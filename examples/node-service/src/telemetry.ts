/**
 * OpenTelemetry for the service: traces and metrics through the OpenTelemetry SDK, exported over OTLP/HTTP
 * to a collector on 127.0.0.1:4318 (override with OTEL_EXPORTER_OTLP_ENDPOINT), next to the Prometheus
 * /metrics the service serves from the client's events. The modelwire client needs no glue: it finds the
 * global providers registered here and emits `predict fraud-score` spans (with one CLIENT span per HTTP
 * attempt) and the `modelwire.client.*` metrics.
 *
 * @example
 * const telemetry = startTelemetry(); // before createScoringService
 * process.on('SIGTERM', () => telemetry.shutdown());
 */
import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { MeterProvider, type MetricReader, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, type SpanExporter, type SpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

const COLLECTOR = process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'http://127.0.0.1:4318';

/** Where spans and metrics go; the defaults export OTLP/HTTP to the local collector. */
export interface TelemetryOptions {
  spanProcessor?: SpanProcessor;
  metricReader?: MetricReader;
}

/** Registers the global tracer and meter providers, the AsyncLocalStorage context manager and W3C propagation. */
export function startTelemetry(options: TelemetryOptions = {}): { shutdown: () => Promise<void> } {
  const exporter: SpanExporter = new OTLPTraceExporter({ url: `${COLLECTOR}/v1/traces` });
  const tracerProvider = new TracerProvider({ spanProcessors: [options.spanProcessor ?? new BatchSpanProcessor({ exporter })] });
  const meterProvider = new MeterProvider({
    readers: [
      options.metricReader ??
        new PeriodicExportingMetricReader({
          exporter: new OTLPMetricExporter({ url: `${COLLECTOR}/v1/metrics` }),
          exportIntervalMillis: 15_000,
        }),
    ],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  return {
    shutdown: async () => {
      await Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]);
      trace.disable();
      metrics.disable();
      propagation.disable();
      context.disable();
    },
  };
}
