// Shared benchmark fixtures: the model's success envelope and an in-memory transport answering it.

/**
 * The success envelope body a model returns (echoing `requestId` when given).
 *
 * @example okBody('req-1') // '{"status":"success",…}'
 */
export function okBody(requestId = 'r') {
  return JSON.stringify({
    status: 'success',
    code: 'OK',
    message: '',
    request_id: requestId,
    trace_id: 't',
    model: { name: 'm', version: '1' },
    result: { confidence: 0.9, label: 'legit', score: 0.08 },
  });
}

/**
 * A transport that never touches the network: measures the pipeline alone. `delayMs` simulates a model.
 *
 * @example createClient({ baseUrl, transport: memoryTransport() })
 */
export function memoryTransport({ delayMs = 0, onRequest = () => {} } = {}) {
  const body = okBody();
  return async (req) => {
    onRequest(req);
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    return { status: 200, headers: {}, body };
  };
}

/** Where a throwaway client points when the transport is in memory. */
export const NOWHERE = 'http://127.0.0.1:9/v1';
