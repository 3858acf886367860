import type { CallCommandAction } from '@switchboard/nats-contracts';

/** One REST route of the call-control API; the controller and the OpenAPI document both follow this table. */
export interface ApiRoute {
  action: CallCommandAction;
  method: 'get' | 'post' | 'delete';
  /** OpenAPI path template. */
  path: string;
  summary: string;
  /** The status of a successful answer. */
  status: 200 | 201 | 202;
}

const call = '/v1/calls/{callId}';
const participant = `${call}/participants/{participantId}`;

export const apiRoutes: readonly ApiRoute[] = [
  { action: 'place', method: 'post', path: '/v1/calls', summary: 'Place a 1:1 or group call (service-hosted media)', status: 201 },
  { action: 'get', method: 'get', path: call, summary: "A call's state, parties, handler and flow progress", status: 200 },
  { action: 'history', method: 'get', path: `${call}/history`, summary: "A call's events, oldest first", status: 200 },
  { action: 'hang-up', method: 'delete', path: call, summary: "Hang up (ends the bot's leg; a group call goes on)", status: 202 },
  { action: 'answer', method: 'post', path: `${call}/answer`, summary: 'Answer an incoming call routed to an app', status: 202 },
  { action: 'reject', method: 'post', path: `${call}/reject`, summary: 'Reject an incoming call routed to an app', status: 202 },
  { action: 'redirect', method: 'post', path: `${call}/redirect`, summary: 'Redirect an incoming call routed to an app (several targets ring together)', status: 202 },
  { action: 'transfer', method: 'post', path: `${call}/transfer`, summary: 'Blind transfer, or consultative with replacesCallId', status: 202 },
  { action: 'mute', method: 'post', path: `${call}/mute`, summary: 'Mute the bot', status: 200 },
  { action: 'unmute', method: 'post', path: `${call}/unmute`, summary: 'Unmute the bot', status: 200 },
  { action: 'play-prompt', method: 'post', path: `${call}/play-prompt`, summary: 'Play up to 20 WAV prompts', status: 200 },
  { action: 'record', method: 'post', path: `${call}/record`, summary: 'Record a response (up to 120 s)', status: 200 },
  { action: 'send-dtmf', method: 'post', path: `${call}/send-dtmf`, summary: 'Send DTMF tones', status: 200 },
  { action: 'cancel-media', method: 'post', path: `${call}/cancel-media`, summary: 'Cancel running and queued prompts and recordings', status: 200 },
  { action: 'list-participants', method: 'get', path: `${call}/participants`, summary: "The call's participants", status: 200 },
  { action: 'invite-participants', method: 'post', path: `${call}/participants/invite`, summary: 'Invite up to 5 participants into a group call', status: 200 },
  { action: 'mute-participant', method: 'post', path: `${participant}/mute`, summary: 'Mute a participant', status: 200 },
  { action: 'remove-participant', method: 'delete', path: participant, summary: 'Remove a participant (or cancel its invitation)', status: 202 },
  { action: 'hold-music', method: 'post', path: `${participant}/hold-music`, summary: 'Start or stop hold music for a participant', status: 200 },
];
