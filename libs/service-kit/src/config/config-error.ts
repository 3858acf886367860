/** One invalid or missing environment variable and the reason it was refused. */
export interface ConfigIssue {
  variable: string;
  reason: string;
}

/** Thrown when the environment does not satisfy a service's configuration schema. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly issues: readonly ConfigIssue[]) {
    super(`Invalid configuration: ${issues.map((i) => `${i.variable}: ${i.reason}`).join('; ')}`);
  }
}
