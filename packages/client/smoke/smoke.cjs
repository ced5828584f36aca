// Requires the BUILT package (CJS) by its own name and makes one real call on loopback.
const { canonicalJson, createClient, ModelwireError } = require('@modelwire/client');
const { startSmokeServer } = require('./server.cjs');
const { trace } = require('@opentelemetry/api');
const { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } = require('@opentelemetry/sdk-trace');

// The optional @opentelemetry/api is found by the built CJS code: the call makes a call span and an attempt span.
const exporter = new InMemorySpanExporter();
trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }));
startSmokeServer(0.8).then(async (server) => {
  const p = await createClient({ baseUrl: server.url }).predict('m', { x: 1 });
  server.close();
  const spans = exporter.getFinishedSpans().map((s) => s.name);
  if (
    canonicalJson({ n: 1e21 }) !== '{"n":1e+21}' ||
    p.confidence !== 0.8 ||
    typeof ModelwireError !== 'function' ||
    spans.join() !== 'POST,predict m'
  ) {
    console.error('CJS smoke failed', p, spans);
    process.exit(1);
  }
  console.log(`CJS smoke ok on Node ${process.version}`);
});
