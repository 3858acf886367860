import { waitUntil, type JsonResponse, type ServiceEndpoint } from '@switchboard/dev-infra';
import type { JoinView, RosterParticipant } from '@switchboard/nats-contracts';
import type { E2eHarness } from './harness';

/** A meeting as the emulator's control API shows it. */
export interface EmulatorMeeting {
  id: string;
  joinWebUrl: string;
  shortUrl: string;
  token: string;
  videoTeleconferenceId: string;
  startDateTime: string;
  joinMeetingIdSettings: { joinMeetingId: string; passcode: string };
  participants: { organizer: { identity: { user: { id: string } } } };
  state: string;
  calls: { callId: string; state: string; inLobby: boolean }[];
}

/** meeting-join's REST API called the way a customer's app calls it, and the emulator's meetings driven around it. */
export class MeetingsClient {
  private constructor(
    private readonly h: E2eHarness,
    private readonly token: string,
  ) {}

  /** A client with a token of the emulator's default API client (it has the Meetings.* roles). */
  static async start(h: E2eHarness): Promise<MeetingsClient> {
    return new MeetingsClient(h, await h.emulator.apiToken());
  }

  /** The meeting-join replica requests go to: the first running one, or the one given. */
  private url(replica?: ServiceEndpoint): string {
    const endpoint = replica ?? this.h.platform.services.find((s) => s.name === 'meeting-join' && s.process.running);
    if (!endpoint) throw new Error('no meeting-join is running');
    return endpoint.httpUrl;
  }

  send<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, options: { replica?: ServiceEndpoint; idempotencyKey?: string } = {}): Promise<JsonResponse<T>> {
    const headers = { authorization: `Bearer ${this.token}`, ...(options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}) };
    return this.h.emulator.http.send<T>(method, `${this.url(options.replica)}${path}`, body, headers);
  }

  async join(body: Record<string, unknown>, options: { replica?: ServiceEndpoint; idempotencyKey?: string } = {}): Promise<string> {
    const res = await this.send<{ id: string; state: string }>('POST', '/v1/meetings/joins', body, options);
    if (res.status !== 202) throw new Error(`join refused: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id;
  }

  async view(id: string): Promise<JoinView> {
    const res = await this.send<JoinView>('GET', `/v1/meetings/joins/${id}`);
    if (res.status !== 200) throw new Error(`GET join ${id}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async waitForState(id: string, state: JoinView['state'], timeoutMs = 20_000): Promise<JoinView> {
    let view: JoinView | undefined;
    await waitUntil(async () => (view = await this.view(id)).state === state, `join ${id} to be ${state} (last: ${JSON.stringify(view)})`, timeoutMs, 50).catch((error: Error) => {
      throw new Error(`${error.message}; last view ${JSON.stringify(view)}`);
    });
    return view as JoinView;
  }

  async participants(id: string): Promise<RosterParticipant[]> {
    return (await this.send<{ participants: RosterParticipant[] }>('GET', `/v1/meetings/joins/${id}/participants`)).body.participants;
  }

  /** Waits until the roster (everyone but the bot, by display name) is what `check` wants. */
  async waitForRoster(id: string, check: (people: RosterParticipant[]) => boolean, what: string): Promise<RosterParticipant[]> {
    let people: RosterParticipant[] = [];
    await waitUntil(async () => check((people = await this.participants(id))), `${what} (roster ${JSON.stringify(people)})`, 20_000, 50);
    return people;
  }

  // ---- the emulator's meetings ----------------------------------------------------------------

  meeting(body: Record<string, unknown> = {}): Promise<EmulatorMeeting> {
    return this.h.control<EmulatorMeeting>('POST', '/emulator/meetings', body);
  }

  meetingNow(id: string): Promise<EmulatorMeeting> {
    return this.h.control<EmulatorMeeting>('GET', `/emulator/meetings/${id}`);
  }

  control<T = unknown>(path: string, body?: unknown): Promise<T> {
    return this.h.control<T>('POST', `/emulator/meetings${path}`, body);
  }
}
