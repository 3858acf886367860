const decoder = new TextDecoder();

/** A payload's JSON value, or undefined when it is not JSON: for a schema's `safeParse` to refuse like any bad shape. */
export function jsonOrUndefined(data: Uint8Array | string): unknown {
  try {
    return JSON.parse(typeof data === 'string' ? data : decoder.decode(data));
  } catch {
    return undefined;
  }
}
