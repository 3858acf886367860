import { connect, type NatsConnection, type Subscription } from 'nats';
import { launchPlatform, removeJetStreamNamespace, waitUntil, type PlatformOptions, type RunningPlatform } from '@switchboard/dev-infra';
import { complianceNames, natsNames, parseCallEvent, type CallEvent, type NatsNames } from '@switchboard/nats-contracts';

export interface GraphRequestLogEntry {
  seq: number;
  /** When the emulator finished handling it (ISO, the machine's clock). */
  at: string;
  method: string;
  path: string;
  status: number;
  body?: unknown;
  clientRequestId?: string;
  /** The emulator failed this request on purpose (`POST /emulator/faults`). */
  faulted?: boolean;
}

/** A playPrompt request as the emulator logged it, with the prompt files it asked for. */
export interface PromptRequest {
  status: number;
  faulted: boolean;
  clientRequestId?: string;
  clientContext?: string;
  /** The last path segment of each prompt URI, e.g. `menu.wav`. */
  prompts: string[];
}

/** What the emulator's person does on a new incoming call (`POST /emulator/calls/incoming`). */
export interface IncomingCallSpec {
  caller?: { id?: string; displayName?: string };
  script?: unknown[];
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
      ...options,
      namespace,
      emulatorEnv: { EMULATOR_PROMPT_MS: '300', EMULATOR_ANSWER_DELAY_MS: '50', ...options.emulatorEnv },
      signalingEnv: { LOG_LEVEL: 'info', ...options.signalingEnv },
      ...(process.env['E2E_VERBOSE'] ? { onLine: (line: string, name: string) => process.stdout.write(`[${name}] ${line}\n`) } : {}),
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

  /** A new call from the emulator's person to the bot; its Graph call id. */
  async incomingCall(spec: IncomingCallSpec = {}): Promise<string> {
    return (await this.control<{ callId: string }>('POST', '/emulator/calls/incoming', spec)).callId;
  }

  async graphRequests(callId: string): Promise<GraphRequestLogEntry[]> {
    // The emulator filters its log by call; polling it stays cheap however many calls a suite made.
    const log = await this.control<{ items: GraphRequestLogEntry[] }>('GET', `/emulator/requests?since=0&callId=${encodeURIComponent(callId)}`);
    return log.items;
  }

  /** The Graph actions (last path segment, or the method for call-level requests) the bot sent for a call, in order. */
  async graphActions(callId: string): Promise<string[]> {
    return (await this.graphRequests(callId)).map((r) => {
      const tail = r.path.split('?')[0].split('/').pop() ?? '';
      return tail.toLowerCase() === callId.toLowerCase() ? r.method : tail;
    });
  }

  /** Every playPrompt request of a call, in order, faulted ones included. */
  async promptRequests(callId: string): Promise<PromptRequest[]> {
    return (await this.graphRequests(callId))
      .filter((r) => r.method === 'POST' && r.path.split('?')[0].endsWith('/playPrompt'))
      .map((r) => {
        const body = r.body as { clientContext?: string; prompts?: { mediaInfo?: { uri?: string } }[] } | undefined;
        return {
          status: r.status,
          faulted: r.faulted === true,
          ...(r.clientRequestId ? { clientRequestId: r.clientRequestId } : {}),
          ...(body?.clientContext ? { clientContext: body.clientContext } : {}),
          prompts: (body?.prompts ?? []).map((p) => (p.mediaInfo?.uri ?? '').split('/').pop() ?? ''),
        };
      });
  }

  /** Polls the emulator's request log of a call until `check` accepts it. */
  async waitForRequests(callId: string, check: (requests: GraphRequestLogEntry[]) => boolean, what: string, timeoutMs = 20_000): Promise<GraphRequestLogEntry[]> {
    let requests: GraphRequestLogEntry[] = [];
    await waitUntil(async () => check((requests = await this.graphRequests(callId))), `${what} for ${callId}`, timeoutMs, 100);
    return requests;
  }

  /** The flow event `name` (digits-collected, recording-available, webhook-failed, flow-finished…) of a call. */
  async waitForFlowEvent(callId: string, name: string, timeoutMs = 20_000): Promise<Extract<CallEvent, { type: 'flow-event' }>> {
    let found: CallEvent | undefined;
    await waitUntil(
      () => Boolean((found = this.events.find((e) => e.callId === callId && e.type === 'flow-event' && e.name === name))),
      `flow event ${name} of ${callId}`,
      timeoutMs,
      25,
    );
    return found as Extract<CallEvent, { type: 'flow-event' }>;
  }

  /** The call's record in the state KV bucket. */
  /**
   * The call's record once its outbox is empty. An event can reach a subscriber before the write that settles it,
   * so a record read right after an event may still list it.
   */
  async callRecord(callId: string, timeoutMs = 10_000): Promise<Record<string, unknown>> {
    const kv = await this.nc.jetstream().views.kv(this.names.callStateBucket);
    let record: Record<string, unknown> | undefined;
    await waitUntil(async () => {
      const entry = await kv.get(callId);
      if (!entry) throw new Error(`no call record for ${callId} in ${this.names.callStateBucket}`);
      record = JSON.parse(new TextDecoder().decode(entry.value)) as Record<string, unknown>;
      return Array.isArray(record['outbox']) && record['outbox'].length === 0;
    }, `the record of ${callId} to settle`, timeoutMs, 50).catch(() => undefined);
    if (!record) throw new Error(`no call record for ${callId} in ${this.names.callStateBucket}`);
    return record;
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
    // recording-compliance's streams too, when the suite ran it (deleting a missing stream is no error).
    await removeJetStreamNamespace(this.nc, { ...this.names, streams: [...this.names.streams, ...complianceNames(this.names.namespace).streams] });
    await this.nc.close();
    await this.platform.stop();
  }
}
