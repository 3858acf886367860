import { connect } from 'nats';
import { waitUntil, type RunningPlatform } from '@switchboard/dev-infra';
import { natsNames, parseCallEvent, type CallEvent } from '@switchboard/nats-contracts';

interface LoggedRequest {
  seq: number;
  method: string;
  path: string;
  status: number;
}

/**
 * The demo the local run shows: a simulated person calls the bot, hears the welcome prompt, presses 1 and hangs
 * up. Every Graph request the bot makes and every event it publishes is printed as it happens.
 */
export async function runDemoCall(platform: RunningPlatform, print: (line: string) => void): Promise<string> {
  const { emulator } = platform;
  const names = natsNames(platform.namespace);
  const nc = await connect({ servers: platform.nats.url, name: 'switchboard-demo' });
  const events: CallEvent[] = [];
  const sub = nc.subscribe(names.eventSubjects);
  void (async () => {
    for await (const m of sub) {
      const event = parseCallEvent(m.data);
      events.push(event);
      print(`  event   ${names.eventSubject(event.type)}${describe(event)}`);
    }
  })();
  const control = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
    const res = await emulator.http.send<T>(method, `${emulator.baseUrl}${path}`, body);
    if (res.status >= 300) throw new Error(`emulator ${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  let seen = 0;
  const printGraphRequests = async (callId: string) => {
    const log = await control<{ items: LoggedRequest[]; next: number }>('GET', `/emulator/requests?since=${seen}`);
    seen = log.next;
    for (const r of log.items.filter((i) => i.path.includes(callId))) print(`  graph   ${r.method} ${r.path.replace(/^\/v1\.0/, '')} → ${r.status}`);
  };
  const waitFor = async (callId: string, type: CallEvent['type']) =>
    waitUntil(async () => {
      await printGraphRequests(callId);
      return events.some((e) => e.callId === callId && e.type === type);
    }, `the ${type} event`, 20_000, 100);

  try {
    print('▶ Ada calls the bot');
    const { callId } = await control<{ callId: string }>('POST', '/emulator/calls/incoming', { caller: { displayName: 'Ada Lovelace' } });
    print(`  call id ${callId}`);
    await waitFor(callId, 'established');
    await waitUntil(async () => {
      await printGraphRequests(callId);
      const call = await control<{ toneSubscription: { subscribed: boolean } }>('GET', `/emulator/calls/${callId}`);
      return call.toneSubscription.subscribed;
    }, 'the tone subscription', 20_000, 100);
    print('▶ Ada presses 1');
    await control('POST', `/emulator/calls/${callId}/tones`, { tones: '1' });
    await waitFor(callId, 'tone');
    print('▶ Ada hangs up');
    await control('POST', `/emulator/calls/${callId}/hangup`);
    await waitFor(callId, 'terminated');
    return callId;
  } finally {
    sub.unsubscribe();
    await nc.close();
  }
}

function describe(event: CallEvent): string {
  switch (event.type) {
    case 'incoming':
      return event.caller?.displayName ? ` (from ${event.caller.displayName})` : '';
    case 'state-changed':
      return ` (${event.from ?? '?'} → ${event.to})`;
    case 'tone':
      return ` (key ${event.digit})`;
    case 'operation-completed':
      return ` (${event.operationKind} ${event.status})`;
    case 'terminated':
      return event.explanation ? ` (${event.resultInfo?.code}/${event.resultInfo?.subcode}: ${event.explanation.cause})` : '';
    default:
      return '';
  }
}
