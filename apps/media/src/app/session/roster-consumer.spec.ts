import { captureLogs, createLogger } from '@switchboard/service-kit';
import type { NatsConnection } from 'nats';
import { natsNames } from '@switchboard/nats-contracts';
import { CallRegistry } from '../call-registry';
import { MediaMetrics } from '../media-metrics';
import { RosterConsumer } from './roster-consumer';
import { SessionHub } from './session-hub';

/** A roster event as signaling publishes it; each participant is neither muted, waiting nor sharing. */
const roster = (callId: string, participants: object[], mediaCallId?: string) =>
  new TextEncoder().encode(
    JSON.stringify({
      eventId: 'e',
      callId,
      ...(mediaCallId ? { mediaCallId } : {}),
      occurredAt: '2026-01-01T00:00:00.000Z',
      type: 'participants-updated',
      participants: participants.map((p) => ({ muted: false, inLobby: false, sharingScreen: false, ...p })),
      joined: [],
      left: [],
    }),
  );

describe('RosterConsumer', () => {
  const logs = captureLogs();
  const warnings: string[] = [];
  function setup() {
    const logger = createLogger({ service: 'media', destination: logs.stream });
    const metrics = new MediaMetrics('media', new CallRegistry({ podName: 'media-0', maxCalls: 4, preparedCallTtlMs: 60_000 }));
    const hub = new SessionHub({ podName: 'media-0', grpcTarget: () => 'media-0:1', metrics, logger, publish: () => undefined, loadPrompt: () => Promise.reject(new Error('none')) });
    const consumer = new RosterConsumer({} as NatsConnection, natsNames(), hub, (_level, msg) => warnings.push(msg));
    hub.observe(consumer);
    return { hub, consumer };
  }
  const open = (hub: SessionHub, callId: string) => hub.onOpened(callId, { callId, settings: undefined }, { send: () => undefined });

  it('applies a roster to the live call, in any case of a Graph call id', () => {
    const { hub, consumer } = setup();
    open(hub, 'ABC-1');
    consumer.apply(roster('abc-1', [{ id: 'p1', displayName: 'Ana', sourceIds: [11] }]));
    expect(hub.get('abc-1')?.directory.speaker(11)).toEqual({ msi: 11, participantId: 'p1', displayName: 'Ana' });
  });

  it('keeps the roster of a call that is not streaming yet and applies it when the stream opens', () => {
    const { hub, consumer } = setup();
    consumer.apply(roster('call-2', [{ id: 'p2', sourceIds: [21, 22] }]));
    open(hub, 'call-2');
    expect(hub.get('call-2')?.directory.sourcesOf('p2')).toEqual([21, 22]);
  });

  it('finds a call the API placed by the media call id the roster names beside Graph’s', () => {
    const { hub, consumer } = setup();
    open(hub, 'placed-7');
    consumer.apply(roster('graph-7', [{ id: 'p7', displayName: 'Ike', sourceIds: [71] }], 'placed-7'));
    expect(hub.get('placed-7')?.directory.speaker(71)).toEqual({ msi: 71, participantId: 'p7', displayName: 'Ike' });
  });

  it('ignores a payload that is not JSON or breaks the schema, and says so', () => {
    const { hub, consumer } = setup();
    open(hub, 'call-3');
    consumer.apply(new TextEncoder().encode('{nope'));
    consumer.apply(roster('call-3', [{ id: 'p3', sourceIds: ['eleven'] }]));
    expect(hub.get('call-3')?.directory.speaker(11)).toEqual({ msi: 11 });
    expect(warnings).toEqual(['participants-updated is not JSON; ignored', 'participants-updated does not match its schema; ignored']);
  });
});
