// Runs inside Chromium: the browser build of the client (ky over fetch, portable SHA-256) against
// the mock gateway on another origin, so CORS preflight with the contract's headers is exercised.
import { cacheKey, createClient, ValidationError } from '@modelwire/client';

window.runModelwire = async (apiUrl) => {
  const client = createClient({ baseUrl: apiUrl, fallbacks: { 'fraud-score': 'fraud-score-backup' } });
  const data = { amount: 129.5, country: 'FR', card_present: false };
  const first = await client.predict('fraud-score', data);
  const second = await client.predict('fraud-score', { card_present: false, country: 'FR', amount: 129.5 });
  let validation;
  try {
    await client.predict('fraud-score', { amount: 'not a number' });
  } catch (e) {
    validation = e instanceof ValidationError ? e.errors : String(e);
  }
  return {
    label: first.result.label,
    confidence: first.confidence,
    version: first.model.version,
    secondCached: second.cached,
    validation,
    key: cacheKey({ model: 'fraud-score', version: null, scope: 'anonymous', data }),
  };
};
