import type { NatsConnection } from 'nats';
import { request } from 'undici';
import { builtApp, freePort, HttpBalancer, ManagedProcess, waitUntil } from '@switchboard/dev-infra';
import type { NatsNames } from '@switchboard/nats-contracts';
import type { BenchTarget } from './bench-target';

/** Nothing listens on the discard port: Graph and Entra are unreachable on purpose (the traffic needs neither). */
const UNREACHABLE_HTTPS = 'https://127.0.0.1:9';

export interface SignalingTargetOptions {
  root: string;
  natsUrl: string;
  names: NatsNames;
  botAppId: string;
  openIdConfigurationUrl: string;
  nc: NatsConnection;
  /** Replicas sharing the namespace; more than one get a round-robin balancer in front, as an ingress would. */
  replicas: number;
  /** false: the replicas only store what they take in (`APPLY_CALL_INPUTS=false`), leaving it for replicas that apply. */
  appliesInputs: boolean;
}

export interface SignalingTarget extends BenchTarget {
  /** Notifications stored and not yet applied (the orchestrator consumer's pending and unacknowledged messages). */
  backlog(): Promise<number>;
  /** What JetStream holds for this run's namespace. */
  stored(): Promise<{ notifications: number; deadLettered: number }>;
  /** What the service logged (at LOG_LEVEL=warn, so only warnings and errors). */
  logLines(): string[];
}

/**
 * The built signaling service (dist/apps/signaling/main.js) in child processes, with real RS256 verification
 * against `openIdConfigurationUrl` and real JetStream persistence under the run's own namespace.
 */
export async function startSignalingTarget(options: SignalingTargetOptions): Promise<SignalingTarget> {
  const { names, nc } = options;
  const replicas: ManagedProcess[] = [];
  const origins: string[] = [];
  try {
    for (let i = 0; i < options.replicas; i++) {
      const replica = await startReplica(options, `signaling-bench-${options.appliesInputs ? 'apply' : 'intake'}-${i}`);
      replicas.push(replica.proc);
      origins.push(replica.origin);
    }
  } catch (error) {
    await Promise.all(replicas.map((p) => p.kill()));
    throw error;
  }
  const balancer = origins.length > 1 ? new HttpBalancer(() => origins) : undefined;
  const origin = balancer ? await balancer.listen() : origins[0];
  const jsm = await nc.jetstreamManager();
  const backlog = async () => {
    const info = await jsm.consumers.info(names.notificationsStream, names.orchestratorConsumer);
    return info.num_pending + info.num_ack_pending;
  };
  const target: SignalingTarget = {
    label: `signaling${options.replicas > 1 ? ` × ${options.replicas}` : ''}, ${options.appliesInputs ? 'intake + apply' : 'intake alone'}`,
    origin,
    backlog,
    // Replicas that apply nothing leave their backlog to those that do. Polled four times a second: nats-server 2.9
    // counts a consumer's pending messages subject by subject, and every unknown call is a subject of its own.
    settle: async () => {
      if (options.appliesInputs) await waitUntil(async () => (await backlog()) === 0, 'the orchestrator consumer to apply every stored notification', 120_000, 250);
    },
    stored: async () => ({
      notifications: (await jsm.streams.info(names.notificationsStream)).state.messages,
      deadLettered: (await jsm.streams.info(names.deadLetterStream)).state.messages,
    }),
    logLines: () => replicas.flatMap((proc) => proc.output().split('\n').filter((l) => l.trim() !== '')),
    stop: async () => {
      await balancer?.close();
      await Promise.all(
        replicas.map(async (proc) => {
          await proc.stop();
          if (proc.child.exitCode !== 0 && proc.child.exitCode !== null) {
            process.stderr.write(`${proc.options.name} exited with code ${proc.child.exitCode}\n${proc.tail(20)}\n`);
          }
        }),
      );
    },
  };
  return target;
}

/**
 * `SIGNALING_CPU_PROFILE_DIR=<dir>`: each replica writes a V8 CPU profile there when it stops (open it in Chrome's
 * DevTools); profiling slows the replica, so its figures are not comparable with a run without it.
 */
function cpuProfileArgs(): string[] {
  const dir = process.env['SIGNALING_CPU_PROFILE_DIR'];
  return dir ? ['--cpu-prof', '--cpu-prof-dir', dir] : [];
}

async function startReplica(options: SignalingTargetOptions, replicaId: string): Promise<{ proc: ManagedProcess; origin: string }> {
  const { names } = options;
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const proc = new ManagedProcess({
    name: replicaId,
    command: process.execPath,
    args: [...cpuProfileArgs(), builtApp('signaling', options.root)],
    cwd: options.root,
    env: {
      NATS_URL: options.natsUrl,
      NATS_NAMESPACE: names.namespace,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
      REPLICA_ID: replicaId,
      LOG_LEVEL: 'warn',
      BOT_APP_ID: options.botAppId,
      BOT_TENANT_ID: 'tenant-1',
      BOT_CLIENT_SECRET: 'unused-by-this-traffic',
      AUTHORITY_HOST: UNREACHABLE_HTTPS,
      GRAPH_BASE_URL: `${UNREACHABLE_HTTPS}/v1.0`,
      CALLBACK_OIDC_URL: options.openIdConfigurationUrl,
      PUBLIC_CALLBACK_URL: `${origin}/api/calling`,
      PROMPT_URI: `${UNREACHABLE_HTTPS}/prompts/welcome.wav`,
      APPLY_CALL_INPUTS: String(options.appliesInputs),
    },
  });
  try {
    // Readiness would report graph-token down (Graph is unreachable), so liveness is the signal that it listens.
    await waitUntil(async () => {
      if (!proc.running) throw new Error('signaling exited');
      const res = await request(`${origin}/health/live`);
      await res.body.dump();
      return res.statusCode === 200;
    }, `signaling to answer ${origin}/health/live`, 30_000, 100);
  } catch (error) {
    await proc.kill();
    throw new Error(`${(error as Error).message}\n--- signaling output ---\n${proc.tail(30)}`);
  }
  return { proc, origin };
}
