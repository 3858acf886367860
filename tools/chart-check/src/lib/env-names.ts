/**
 * Environment variable names a service's configuration schema declares, read from its source text
 * (the keys of its zod env objects, e.g. `  ACK_WAIT_MS: envInt(...)`), so the chart can be checked against
 * the names the service really reads without importing the service.
 */
export function declaredEnvNames(source: string): string[] {
  return [...new Set([...source.matchAll(/^\s*([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*):\s/gm)].map((m) => m[1]))];
}
