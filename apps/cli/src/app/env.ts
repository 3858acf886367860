import { UsageError } from './io';

/** A dashed GUID: app registration (client) ids and Entra object ids. */
export const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A variable the command cannot do without; the error names it and what it is. */
export function requireVar(env: NodeJS.ProcessEnv, name: string, what: string): string {
  const value = env[name]?.trim();
  if (!value) throw new UsageError(`${name} is not set: ${what}`);
  return value;
}

/** The bot's application (client) id: the same BOT_APP_ID the services read. */
export function botAppId(env: NodeJS.ProcessEnv): string {
  const id = requireVar(env, 'BOT_APP_ID', "the bot's Azure app registration (client) id");
  if (!guidPattern.test(id)) throw new UsageError(`BOT_APP_ID must be the app registration's client id (a GUID), got "${id}"`);
  return id.toLowerCase();
}
