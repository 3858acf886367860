import { isHttpUrl } from './flow-schema';

/**
 * The absolute URI of a prompt: absolute http(s) names stay as they are, relative ones resolve against
 * the flow's `prompts.base`. Undefined when a relative name has no base to resolve against.
 */
export function resolvePrompt(name: string, base: string | undefined): string | undefined {
  if (isHttpUrl(name)) return name;
  if (!base) return undefined;
  return new URL(name, base.endsWith('/') ? base : `${base}/`).toString();
}
