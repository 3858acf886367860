import { builtApp, freePort, ManagedProcess, waitUntil } from '@switchboard/dev-infra';
import { callCommandReplySchema, type CallCommandReply, type MediaHeartbeat } from '@switchboard/nats-contracts';
import type { E2eHarness } from './harness';
import { metricSum } from './metrics';

const HEARTBEAT_MS = 500;

/** One media pod: the built media service, beating into the suite's namespace. */
export class MediaPod {
  private constructor(
    readonly name: string,
    readonly process: ManagedProcess,
    readonly httpUrl: string,
  ) {}

  static async start(h: E2eHarness, name: string, options: { heartbeatMs?: number; env?: Record<string, string> } = {}): Promise<MediaPod> {
    const [grpcPort, httpPort] = [await freePort(), await freePort()];
    const proc = new ManagedProcess({
      name,
      command: process.execPath,
      args: [builtApp('media')],
      env: {
        NATS_URL: h.platform.nats.url,
        NATS_NAMESPACE: h.platform.namespace,
        POD_NAME: name,
        GRPC_HOST: '127.0.0.1',
        GRPC_PORT: String(grpcPort),
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: String(httpPort),
        HEARTBEAT_INTERVAL_MS: String(options.heartbeatMs ?? HEARTBEAT_MS),
        MAX_CALLS: '10',
        LOG_LEVEL: 'info',
        // The platform's recordings storage, when it has one (it starts Azurite with recording-compliance).
        ...(h.platform.blobConnectionString ? { BLOB_CONNECTION_STRING: h.platform.blobConnectionString } : {}),
        ...options.env,
      },
      ...(process.env['E2E_VERBOSE'] ? { onLine: (line: string, n: string) => process.stdout.write(`[${n}] ${line}\n`) } : {}),
    });
    const pod = new MediaPod(name, proc, `http://127.0.0.1:${httpPort}`);
    await waitUntil(async () => (await fetch(`${pod.httpUrl}/health/ready`).catch(() => undefined))?.status === 200, `${name} ready`, 30_000, 100);
    return pod;
  }

  /** Calls streaming on the pod now (`GET /health/calls`). */
  async liveStreams(): Promise<number> {
    return ((await (await fetch(`${this.httpUrl}/health/calls`)).json()) as { activeCalls: number }).activeCalls;
  }

  /** The sum of a metric's samples on `/metrics` that carry `label` (e.g. `media_frames_received_total`, `kind="audio"`). */
  metric(name: string, label: string): Promise<number> {
    return metricSum(this.httpUrl, name, label);
  }
}

/** A pod's last heartbeat in the media pods bucket. */
export async function heartbeat(h: E2eHarness, pod: string): Promise<MediaHeartbeat | undefined> {
  const kv = await h.nc.jetstream().views.kv(h.names.mediaPodsBucket);
  const entry = await kv.get(pod);
  return entry?.operation === 'PUT' ? (JSON.parse(new TextDecoder().decode(entry.value)) as MediaHeartbeat) : undefined;
}

/** Waits until the pod's heartbeat reports `check`, so the next placement decides on its current load. */
export async function untilHeartbeat(h: E2eHarness, pod: string, check: (hb: MediaHeartbeat) => boolean, what: string): Promise<void> {
  await waitUntil(async () => {
    const hb = await heartbeat(h, pod);
    return hb !== undefined && check(hb);
  }, `${pod} heartbeat: ${what}`, 10_000, 50);
}

export async function callCommand(h: E2eHarness, action: string, payload: Record<string, unknown>): Promise<CallCommandReply> {
  const reply = await h.nc.request(h.names.commandSubject(action), JSON.stringify(payload), { timeout: 20_000 });
  return callCommandReplySchema.parse(reply.json());
}

/** An app-handled incoming call answered through the API; the pod it was placed on. */
export async function answeredAppCall(h: E2eHarness, caller: string, script?: unknown[]): Promise<{ callId: string; pod: string }> {
  const callId = await h.incomingCall({ caller: { id: caller }, ...(script ? { script } : {}) });
  await h.waitForEvent(callId, 'incoming');
  const reply = await callCommand(h, 'answer', { callId });
  if (!reply.ok) throw new Error(`answer refused: ${reply.message}`);
  const placed = await h.waitForEvent(callId, 'media-placed');
  await h.waitForEvent(callId, 'established');
  return { callId, pod: placed.pod };
}
