import { connect } from 'nats';
import { waitUntil, type RunningPlatform } from '@switchboard/dev-infra';
import { natsNames, parseCallEvent, parseStatusClientContext, type CallEvent } from '@switchboard/nats-contracts';

interface LoggedRequest {
  seq: number;
  method: string;
  path: string;
  status: number;
}

/** A simulated caller: what they do once the bot listens for keys (the emulator's person script). */
export interface DemoCaller {
  title: string;
  displayName: string;
  script: Record<string, unknown>[];
  /** How the call should end, in words, and the check of the call's events against it. */
  expected: string;
  endedAsExpected(events: CallEvent[]): boolean;
  /** What the call left behind worth a line in the summary (e.g. its stored recording). */
  summary?(events: CallEvent[]): string | undefined;
}

/** Graph accepted a recording status of recording-compliance's grants (`compliance:<grantId>:<status>`). */
const statusAccepted = (events: CallEvent[], status: 'recording' | 'notRecording'): boolean =>
  events.some((e) => e.type === 'operation-completed' && e.status === 'completed' && parseStatusClientContext(e.clientContext)?.status === status);

/** One demo call as it happened: the events the platform published about it. */
export interface DemoCallResult {
  callId: string;
  events: CallEvent[];
}

/** The agent the front-desk flow transfers to; the emulator answers for them. */
export const DEMO_AGENT_ID = '6a5f0c1e-0000-4000-8000-0000000000a1';

export const demoCallers: DemoCaller[] = [
  {
    title: 'Ada calls, hears the menu, presses 2 and leaves a message',
    displayName: 'Ada Lovelace',
    script: [{ wait: 2000 }, { press: '2' }, { wait: 2500 }, { speak: 2000 }, { silence: 1500 }],
    expected: 'her message is recorded under a grant and stored, notRecording follows, then the bot hangs up',
    endedAsExpected: (events) =>
      statusAccepted(events, 'recording') &&
      events.some((e) => e.type === 'recording-stored' && e.bytes > 0) &&
      statusAccepted(events, 'notRecording') &&
      events.some((e) => e.type === 'terminated' && e.resultInfo?.code === 200),
    summary: (events) => {
      const stored = events.find((e) => e.type === 'recording-stored');
      if (!stored) return undefined;
      return `recording stored under grant ${stored.grantId}: ${stored.container}/${stored.blobName} (${stored.bytes} bytes, sha256 ${stored.sha256.slice(0, 12)}…)${statusAccepted(events, 'notRecording') ? '; notRecording followed' : '; notRecording not seen'}`;
    },
  },
  {
    title: 'Grace calls and presses 1 to reach the front-desk agent',
    displayName: 'Grace Hopper',
    script: [{ wait: 2000 }, { press: '1' }],
    // Graph ends a blind-transferred call with 200/7015 (GracefulTransferCompleted).
    expected: 'she is transferred to the agent',
    endedAsExpected: (events) => events.some((e) => e.type === 'terminated' && e.resultInfo?.code === 200 && e.resultInfo.subcode === 7015),
  },
];

/**
 * Runs one demo call through the platform and prints every Graph request the bot makes and every event it
 * publishes, as they happen, until the call ends.
 */
export async function runDemoCall(platform: RunningPlatform, caller: DemoCaller, print: (line: string) => void): Promise<DemoCallResult> {
  const { emulator } = platform;
  const names = natsNames(platform.namespace);
  const nc = await connect({ servers: platform.nats.url, name: 'switchboard-demo' });
  const events: CallEvent[] = [];
  let callId = '';
  const sub = nc.subscribe(names.eventSubjects);
  void (async () => {
    for await (const m of sub) {
      const event = parseCallEvent(m.data);
      events.push(event);
      if (event.callId === callId) print(`  event   ${names.eventSubject(event.type)}${describe(event)}`);
    }
  })();
  const control = async <T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> => {
    const res = await emulator.http.send<T>(method, `${emulator.baseUrl}${path}`, body);
    if (res.status >= 300) throw new Error(`emulator ${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  let seen = 0;
  const printGraphRequests = async () => {
    const log = await control<{ items: LoggedRequest[]; next: number }>('GET', `/emulator/requests?callId=${callId}&since=${seen}`);
    seen = log.next;
    for (const r of log.items) print(`  graph   ${r.method} ${r.path.replace(/^\/v1\.0/, '').replace(callId, '{id}')} → ${r.status}`);
  };
  try {
    await control('PUT', `/emulator/callees/${DEMO_AGENT_ID}`, { behaviour: 'answer' });
    print(`▶ ${caller.title}`);
    ({ callId } = await control<{ callId: string }>('POST', '/emulator/calls/incoming', { caller: { displayName: caller.displayName }, script: caller.script }));
    print(`  call id ${callId}`);
    await waitUntil(async () => {
      await printGraphRequests();
      return events.some((e) => e.callId === callId && e.type === 'terminated');
    }, 'the end of the call', 60_000, 100);
    // Work that follows the hang-up (storing a recording) may still be on its way: give it a moment.
    const ofCall = () => events.filter((e) => e.callId === callId);
    await waitUntil(() => caller.endedAsExpected(ofCall()), 'the call to end as expected', 10_000, 100).catch(() => undefined);
    await printGraphRequests();
    return { callId, events: ofCall() };
  } finally {
    sub.unsubscribe();
    await nc.close();
  }
}

function describe(event: CallEvent): string {
  switch (event.type) {
    case 'incoming':
      return `${event.caller?.displayName ? ` from ${event.caller.displayName}` : ''}${event.handler?.kind === 'flow' ? ` → flow ${event.handler.flowId}` : ''}`;
    case 'state-changed':
      return ` ${event.from ?? '?'} → ${event.to}`;
    case 'tone':
      return ` key ${event.digit}`;
    case 'operation-completed': {
      const recordingStatus = parseStatusClientContext(event.clientContext)?.status;
      return ` ${event.operationKind}${recordingStatus ? ` (${recordingStatus})` : ''} ${event.status}`;
    }
    case 'flow-event':
      return ` ${event.name} ${JSON.stringify(event.data)}`;
    case 'recording-stored':
      return ` ${event.bytes} bytes in Blob storage as ${event.container}/${event.blobName} (grant ${event.grantId})`;
    case 'terminated':
      return event.explanation ? ` ${event.resultInfo?.code}/${event.resultInfo?.subcode}: ${event.explanation.cause}` : '';
    default:
      return '';
  }
}
