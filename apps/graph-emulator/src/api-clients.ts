import { z } from 'zod';

/** Roles a customer app gets when nothing else is configured (the call-control and meetings APIs' permissions). */
export const DEFAULT_API_ROLES = ['Calls.Read', 'Calls.Control', 'Calls.Place', 'Meetings.Join', 'Meetings.Read', 'OnlineMeetings.ReadWrite'];

export const apiClientIdSchema = z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'a client id is 1 to 100 letters, digits, dots, dashes or underscores');

/** `PUT /emulator/api-clients/{clientId}`. */
export const apiClientSchema = z.object({
  secret: z.string().min(8, 'secret needs at least 8 characters').max(256),
  roles: z.array(z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'a role is a name like Calls.Read')).max(50),
});
export type ApiClient = z.infer<typeof apiClientSchema>;

/** Customer apps allowed to get tokens for the call-control API (client credentials with a secret). */
export class ApiClients {
  private readonly clients = new Map<string, ApiClient>();

  set(clientId: string, client: ApiClient): void {
    this.clients.set(clientId.toLowerCase(), { secret: client.secret, roles: [...new Set(client.roles)] });
  }

  get(clientId: string): ApiClient | undefined {
    return this.clients.get(clientId.toLowerCase());
  }
}
