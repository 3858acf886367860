import { randomUUID } from 'node:crypto';
import type { JsonResponse } from '@switchboard/dev-infra';
import type { E2eHarness, GraphRequestLogEntry } from './harness';

/** The body of every refusal of the call-control API. */
export interface ApiRefusal {
  statusCode: number;
  code: string;
  message: string;
}

/** A participant as `GET /v1/calls/{id}/participants` lists it (Graph's shape). */
export interface ApiParticipant {
  id: string;
  info?: { identity?: { user?: { id?: string } | null } | null };
}

export interface ApiRequestOptions {
  /** Another bearer token than the client's own; `null` sends no Authorization header at all. */
  token?: string | null;
  idempotencyKey?: string;
}

/** The call-control REST API of the platform's signaling, called the way a customer's app calls it. */
export class CallControlClient {
  private constructor(
    private readonly h: E2eHarness,
    private readonly token: string,
  ) {}

  /** A client with a token of the emulator's default API client (Calls.Read, Calls.Control, Calls.Place). */
  static async start(h: E2eHarness): Promise<CallControlClient> {
    return new CallControlClient(h, await h.emulator.apiToken());
  }

  /** Registers an API client with `roles` at the emulator and returns a token its token endpoint issued for it. */
  static async tokenFor(h: E2eHarness, clientId: string, roles: string[]): Promise<string> {
    const { baseUrl, tenantId, apiClient, http } = h.emulator;
    const secret = `secret-of-${clientId}`;
    await h.control('PUT', `/emulator/api-clients/${clientId}`, { secret, roles });
    const res = await http.form<{ access_token?: string }>(`${baseUrl}/${tenantId}/oauth2/v2.0/token`, {
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: secret,
      scope: `${apiClient.audience}/.default`,
    });
    if (res.status !== 200 || !res.body.access_token) throw new Error(`no API token for ${clientId}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.access_token;
  }

  send<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, options: ApiRequestOptions = {}): Promise<JsonResponse<T>> {
    const token = options.token === undefined ? this.token : options.token;
    const headers: Record<string, string> = {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}),
    };
    return this.h.emulator.http.send<T>(method, `${this.h.platform.signalingUrls[0]}${path}`, body, headers);
  }

  /** Sends a request the test expects to succeed with `status`; fails with the refusal otherwise. */
  async call<T>(status: number, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, options?: ApiRequestOptions): Promise<T> {
    const res = await this.send<T>(method, path, body, options);
    if (res.status !== status) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)} (expected ${status})`);
    return res.body;
  }

  async participants(callId: string): Promise<ApiParticipant[]> {
    return (await this.call<{ participants: ApiParticipant[] }>(200, 'GET', `/v1/calls/${callId}/participants`)).participants;
  }

  /** The user ids in a call's roster. */
  async participantUserIds(callId: string): Promise<string[]> {
    return (await this.participants(callId)).flatMap((p) => (p.info?.identity?.user?.id ? [p.info.identity.user.id] : []));
  }
}

/** Every Graph request the emulator attributes to a call, the create request that made it included. */
export async function graphRequestsOfCall(h: E2eHarness, callId: string): Promise<GraphRequestLogEntry[]> {
  return (await h.control<{ items: GraphRequestLogEntry[] }>('GET', `/emulator/requests?since=0&callId=${encodeURIComponent(callId)}`)).items;
}

/**
 * What a refused request must leave alone: the emulator's request log (no Graph request at all since the watch
 * started) and, for a known call, its record in the call-state bucket (same revision, same content).
 */
export class NothingChangedWatch {
  private constructor(
    private readonly h: E2eHarness,
    private readonly cursor: number,
    private readonly callId: string | undefined,
    private readonly record: { revision: number; value: string } | undefined,
  ) {}

  static async start(h: E2eHarness, callId?: string): Promise<NothingChangedWatch> {
    // A filter that matches nothing returns only the cursor: the sequence number of the newest request.
    const { next } = await h.control<{ next: number }>('GET', '/emulator/requests?since=0&callId=-');
    return new NothingChangedWatch(h, next, callId, callId ? await storedRecord(h, callId) : undefined);
  }

  /** Asserts that no Graph request was sent since the watch started and the call's record was not rewritten. */
  async expectNothingChanged(): Promise<void> {
    const sent = (await this.h.control<{ items: GraphRequestLogEntry[] }>('GET', `/emulator/requests?since=${this.cursor}`)).items;
    expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual([]);
    if (this.callId) expect(await storedRecord(this.h, this.callId)).toEqual(this.record);
  }
}

async function storedRecord(h: E2eHarness, callId: string): Promise<{ revision: number; value: string } | undefined> {
  const kv = await h.nc.jetstream().views.kv(h.names.callStateBucket);
  const entry = await kv.get(callId);
  return entry ? { revision: entry.revision, value: new TextDecoder().decode(entry.value) } : undefined;
}

/** Caller ids that `fixtures/api/routing.yaml` hands to the app "crm" instead of a flow. */
export const crmCallerId = (): string => `crm-${randomUUID()}`;

/** An incoming call routed to the app "crm", answered through the API like the app would; established on return. */
export async function answeredAppCall(h: E2eHarness, api: CallControlClient, displayName: string): Promise<string> {
  const callId = await h.incomingCall({ caller: { id: crmCallerId(), displayName } });
  await h.waitForEvent(callId, 'incoming');
  await api.call(202, 'POST', `/v1/calls/${callId}/answer`, {});
  await h.waitForEvent(callId, 'established');
  return callId;
}
