import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent } from 'undici';

/**
 * The CAs doctor trusts: the public roots plus NODE_EXTRA_CA_CERTS, read from the environment it was given (the
 * services trust the emulator's CA the same way), so a run inside another process behaves like one from a shell.
 */
export function trustedCas(env: NodeJS.ProcessEnv): string {
  const extraFile = env['NODE_EXTRA_CA_CERTS']?.trim();
  return [...rootCertificates, ...(extraFile ? [readFileSync(extraFile, 'utf8')] : [])].join('\n');
}

export function httpsAgent(ca: string): Agent {
  return new Agent({ connect: { ca }, keepAliveTimeout: 1000 });
}
