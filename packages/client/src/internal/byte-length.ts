const nodeBuffer = (globalThis as { Buffer?: { byteLength(s: string, e: string): number } }).Buffer;
const encoder = new TextEncoder();

/** UTF-8 byte length of a string (Node's Buffer when present: no copy). @example byteLength('é') // 2 */
export function byteLength(text: string): number {
  return nodeBuffer ? nodeBuffer.byteLength(text, 'utf8') : encoder.encode(text).length;
}
