import { connect, type NatsConnection, type Subscription } from 'nats';
import { launchPlatform, removeJetStreamNamespace, waitUntil, type PlatformOptions, type RunningPlatform } from '@switchboard/dev-infra';
import { natsNames, parseCallEvent, type CallEvent, type NatsNames } from '@switchboard/nats-contracts';

export interface GraphRequestLogEntry {
  seq: number;
  method: string;
  path: string;
  status: number;
  body?: unknown;
  clientRequestId?: string;
}

/** The platform started from its built apps, plus what a test needs to watch it: the emulator's logs and NATS events. */
export class E2eHarness {
  readonly events: CallEvent[] = [];
  private constructor(
    readonly platform: RunningPlatform,
    readonly nc: NatsConnection,
    readonly names: NatsNames,
    private readonly sub: Subscription,
  ) {}

  static async start(options: PlatformOptions = {}): Promise<E2eHarness> {
    const namespace = `e2e-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
    const platform = await launchPlatform({
      namespace,
      emulatorEnv: { EMULATOR_PROMPT_MS: '300', EMULATOR_ANSWER_DELAY_MS: '50', ...options.emulatorEnv },
      signalingEnv: { LOG_LEVEL: 'info', ...options.signalingEnv },
      ...(process.env['E2E_VERBOSE'] ? { onLine: (line, name) => process.stdout.write(`[${name}] ${line}\n`) } : {}),
      ...options,
    });
    const nc = await connect({ servers: platform.nats.url });
    const names = natsNames(namespace);
    const sub = nc.subscribe(names.eventSubjects);
    const harness = new E2eHarness(platform, nc, names, sub);
    void (async () => {
      for await (const m of sub) harness.events.push(parseCallEvent(m.data));
    })();
    return harness;
  }

  get emulator() {
    return this.platform.emulator;
  }

  /** POST/GET on the emulator's control API; fails on a non-2xx answer. */
  async control<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
    const res = await this.emulator.http.send<T>(method, `${this.emulator.baseUrl}${path}`, body);
    if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async graphRequests(callId: string): Promise<GraphRequestLogEntry[]> {
    const log = await this.control<{ items: GraphRequestLogEntry[] }>('GET', '/emulator/requests?since=0');
    return log.items.filter((r) => r.path.includes(callId));
  }

  /** The Graph actions (last path segment, or the method for call-level requests) the bot sent for a call, in order. */
  async graphActions(callId: string): Promise<string[]> {
    return (await this.graphRequests(callId)).map((r) => {
      const tail = r.path.split('?')[0].split('/').pop() ?? '';
      return tail.toLowerCase() === callId.toLowerCase() ? r.method : tail;
    });
  }

  async waitForEvent<T extends CallEvent['type']>(callId: string, type: T, timeoutMs = 20_000): Promise<Extract<CallEvent, { type: T }>> {
    let found: CallEvent | undefined;
    await waitUntil(() => Boolean((found = this.events.find((e) => e.callId === callId && e.type === type))), `${type} event of ${callId}`, timeoutMs, 25);
    return found as Extract<CallEvent, { type: T }>;
  }

  async waitForActions(callId: string, expected: string[], timeoutMs = 20_000): Promise<string[]> {
    let actions: string[] = [];
    await waitUntil(async () => {
      actions = await this.graphActions(callId);
      return expected.every((a) => actions.includes(a));
    }, `Graph requests ${expected.join(', ')} for ${callId}`, timeoutMs, 100);
    return actions;
  }

  async stop(): Promise<void> {
    this.sub.unsubscribe();
    await removeJetStreamNamespace(this.nc, this.names);
    await this.nc.close();
    await this.platform.stop();
  }
}
