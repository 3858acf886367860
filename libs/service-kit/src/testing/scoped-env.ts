/**
 * Sets environment variables (undefined = unset) and returns a function that restores the
 * previous values, so a spec can boot a service with a given configuration.
 */
export function scopedEnv(values: Record<string, string | undefined>): () => void {
  const previous = Object.fromEntries(Object.keys(values).map((k) => [k, process.env[k]]));
  const apply = (entries: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(entries)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  apply(values);
  return () => apply(previous);
}
