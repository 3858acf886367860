import { waitUntil, type RunningPlatform } from '@switchboard/dev-infra';
import type { JoinView, RosterParticipant } from '@switchboard/nats-contracts';

/**
 * The demo's meeting: a Teams meeting in the emulator with two people in it; the bot joins it by its link as a
 * guest through meeting-join, waits in the lobby, is admitted, prints who is there, and leaves.
 * Resolves true when every step happened as it should.
 */
export async function runDemoMeeting(platform: RunningPlatform, print: (line: string) => void): Promise<boolean> {
  const { http, baseUrl } = platform.emulator;
  const meetingJoin = platform.services.find((s) => s.name === 'meeting-join');
  if (!meetingJoin) throw new Error('meeting-join is not running');
  const authorization = `Bearer ${await platform.emulator.apiToken()}`;
  const control = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
    const res = await http.send<T>(method, `${baseUrl}/emulator/meetings${path}`, body);
    if (res.status >= 300) throw new Error(`${method} /emulator/meetings${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const api = <T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) => http.send<T>(method, `${meetingJoin.httpUrl}${path}`, body, { authorization });
  const join = async (id: string) => (await api<JoinView>('GET', `/v1/meetings/joins/${id}`)).body;
  const until = async (id: string, state: JoinView['state']) => {
    await waitUntil(async () => (await join(id)).state === state, `the join to be ${state}`, 30_000, 100);
  };

  print('▶ Meeting: the bot joins "Demo stand-up" by its link as a guest, waits in the lobby and is admitted');
  const meeting = await control<{ id: string; joinWebUrl: string }>('POST', '', { subject: 'Demo stand-up', lobbyTimeoutMs: 120_000 });
  await control('POST', `/${meeting.id}/people`, { displayName: 'Grace Hopper', id: 'grace' });
  await control('POST', `/${meeting.id}/people`, { displayName: 'Alan Turing', id: 'alan', muted: true });
  print(`  link  ${meeting.joinWebUrl}`);
  const requested = await api<{ id: string; state: string }>('POST', '/v1/meetings/joins', { joinUrl: meeting.joinWebUrl, as: 'guest', displayName: 'Switchboard Notetaker' });
  if (requested.status !== 202) throw new Error(`the join was refused: ${requested.status} ${JSON.stringify(requested.body)}`);
  const { id } = requested.body;
  await until(id, 'inLobby');
  const { callId } = await join(id);
  print(`  join ${id}: waiting in the lobby (call ${callId})`);
  await control('POST', `/${meeting.id}/lobby/${callId}/admit`);
  await until(id, 'joined');
  print('  admitted; who is in the meeting:');
  // The roster after admission follows the call's establishment in a notification of its own.
  let roster: RosterParticipant[] = [];
  await waitUntil(
    async () => (roster = (await api<{ participants: RosterParticipant[] }>('GET', `/v1/meetings/joins/${id}/participants`)).body.participants).length > 1 && !roster.some((p) => p.inLobby),
    'the roster after admission',
    30_000,
    100,
  );
  for (const p of roster) print(`    ${(p.displayName ?? p.id).padEnd(24)} ${p.muted ? 'muted' : 'unmuted'}${p.inLobby ? ', in the lobby' : ''}${p.sharingScreen ? ', sharing' : ''}  MSIs ${p.sourceIds.join(',')}`);
  await api('DELETE', `/v1/meetings/joins/${id}`);
  await until(id, 'left');
  const history = (await join(id)).history.map((h) => h.state).join(' → ');
  print(`  ${history}`);
  return roster.some((p) => p.displayName === 'Grace Hopper') && roster.some((p) => p.displayName === 'Alan Turing' && p.muted);
}
