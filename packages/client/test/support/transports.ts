import { kyTransport, type Transport, undiciTransport } from '../../src/index.js';

/**
 * The two transports every HTTP behaviour is proven on, as `describe.each` rows: the Node fast path
 * (undici) and the universal one (ky over fetch) must behave identically.
 *
 * @example describe.each(TRANSPORTS)('%s transport', (_name, transport) => { … });
 */
export const TRANSPORTS: Array<[string, () => Transport]> = [
  ['undici', () => undiciTransport()],
  ['ky', () => kyTransport(fetch)],
];
