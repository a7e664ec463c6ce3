/**
 * The params a person types for "Send Request…". JSON-RPC params are an
 * object or an array; empty sends none. Anything else is a message shown
 * under the input box, which stays open with the text as typed.
 */
export function parseRequestParams(text: string): { value?: unknown; error?: string } {
  if (text.trim() === '') return { value: undefined };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { error: `Not valid JSON: ${(err as Error).message}. Fix it here; nothing was sent.` };
  }
  if (value === null) return { value: undefined };
  if (typeof value !== 'object') return { error: `Params must be a JSON object or array (or empty for none), not ${typeof value === 'string' ? 'a string' : `a ${typeof value}`}.` };
  return { value };
}
