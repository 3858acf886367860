/**
 * Webhook benchmark: how many Graph notifications per second the built signaling service takes in over
 * POST /api/calling — RS256 JWT verification and JetStream persistence included — and its latency at half that
 * load, next to a bare node:http handler measured in the same run on the same machine. Measured three ways: replicas
 * that only take in, replicas that only apply (the backlog the first left), and replicas that do both at once.
 *
 *   npm run bench:webhook -- --duration 10 --concurrency 64 --connections 64 [--known-calls 2000] [--replicas 2] [--json]
 *   npx tsx --tsconfig apps/signaling/tsconfig.json apps/signaling/bench/webhook.bench.ts --duration 10
 *
 * Needs dist/apps/signaling/main.js (the nx target builds it) and NATS with JetStream (NATS_URL, or nats-server on PATH).
 * SIGNALING_CPU_PROFILE_DIR=<dir> makes each signaling replica write a CPU profile there (see signaling-target.ts).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { connect, type NatsConnection } from 'nats';
import { builtApp, ensureNats, removeJetStreamNamespace, runBenchScript, workspaceRoot, type Teardown } from '@switchboard/dev-infra';
import { natsNames, type NatsNames } from '@switchboard/nats-contracts';
import { CallStateStore } from '../src/app/orchestration/call-state-store';
import { TestIssuer } from '../src/testing/test-issuer';
import { parseBenchOptions, type BenchOptions } from './bench-options';
import { buildReport, formatReport, type ApplyFigures, type WebhookBenchReport } from './bench-report';
import { startBaseline } from './bench-target';
import { measureTarget } from './measure-target';
import { startSignalingTarget, type SignalingTarget } from './signaling-target';
import { establishedCallRecord, knownCallUpdates, unknownCallUpdates } from './webhook-traffic';

const BOT_APP_ID = 'b0b0b0b0-0000-4000-8000-00000000be0c';
/** The tenant of the test issuer's tokens, which the stored calls belong to. */
const TENANT_ID = 'tenant-1';

async function runBenchmark(options: BenchOptions, teardown: Teardown): Promise<WebhookBenchReport> {
  const root = workspaceRoot();
  builtApp('signaling', root);
  const progress = (msg: string) => process.stderr.write(`${msg}\n`);

  const nats = await ensureNats();
  teardown.add(() => nats.stop());
  const nc = await connect({ servers: nats.url, name: 'webhook-bench' });
  teardown.add(() => nc.close());
  const issuer = await TestIssuer.start();
  teardown.add(() => issuer.stop());
  // Distinct expiries make distinct tokens (RS256 signatures are deterministic for the same claims).
  const tokens = await Promise.all(Array.from({ length: options.tokens }, (_, i) => issuer.token(BOT_APP_ID, { expiresIn: `${3600 + i}s` })));
  const callIds = Array.from({ length: options.knownCalls }, () => randomUUID());
  const traffic = callIds.length ? knownCallUpdates(tokens, callIds) : unknownCallUpdates(tokens);

  // The baseline runs before and after the service: on a machine other work shares, the two show how far the
  // conditions moved during the run, and the ratios are taken against their mean.
  const measureBaseline = async (when: 'before' | 'after') => {
    progress(`baseline (${when}): bare node:http, ${options.warmupSeconds} s warm-up + 2 × ${options.durationSeconds} s`);
    const target = await startBaseline(root);
    teardown.add(() => target.stop());
    const figures = await measureTarget(target, options, traffic);
    await target.stop();
    return { ...figures, label: `bare node:http (${when})` };
  };
  const baselineBefore = await measureBaseline('before');

  const startSignaling = async (names: NatsNames, appliesInputs: boolean) => {
    const target = await startSignalingTarget({ root, natsUrl: nats.url, names, botAppId: BOT_APP_ID, openIdConfigurationUrl: issuer.openIdConfigurationUrl, nc, replicas: options.replicas, appliesInputs });
    teardown.add(() => target.stop());
    return target;
  };
  // Each namespace's streams and buckets are removed after the run; its established calls (--known-calls) are written
  // once its first replicas have created the bucket.
  const runId = `bench-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const namespace = (suffix: string) => {
    const names = natsNames(`${runId}-${suffix}`);
    teardown.add(() => removeJetStreamNamespace(nc, names));
    return names;
  };

  // Intake alone: replicas that store and apply nothing. What they store is the backlog other replicas then apply alone.
  const backlogged = namespace('a');
  progress(`signaling, intake alone: namespace ${backlogged.namespace} on ${nats.url}, ${options.warmupSeconds} s warm-up + 2 × ${options.durationSeconds} s`);
  const intake = await startSignaling(backlogged, false);
  await writeEstablishedCalls(nc, backlogged.callStateBucket, callIds);
  const intakeAlone = await measureTarget(intake, options, traffic);
  const logLines = intake.logLines();
  await intake.stop();
  progress('signaling, apply alone: the backlog intake alone left');
  const appliers = await startSignaling(backlogged, true);
  const applyAlone = await drain(appliers);
  const backlogStored = await appliers.stored();
  logLines.push(...appliers.logLines());
  await appliers.stop();

  // Intake + apply from an empty stream, as a new deployment starts: nats-server 2.9 (Debian's) reads every message
  // block to find a subject's first message, which the consumer asks for each unknown call (see
  // JetStreamPipeline.firstMessage); on the backlog's long stream that would measure the server's version.
  const fresh = namespace('b');
  progress(`signaling, intake + apply: namespace ${fresh.namespace}, ${options.warmupSeconds} s warm-up + 2 × ${options.durationSeconds} s`);
  const signaling = await startSignaling(fresh, true);
  await writeEstablishedCalls(nc, fresh.callStateBucket, callIds);
  const together = await measureTarget(signaling, options, traffic);
  const freshStored = await signaling.stored();
  logLines.push(...signaling.logLines());
  for (const line of logLines.slice(0, 5)) progress(`signaling said: ${line}`);
  await signaling.stop();
  const baselineAfter = await measureBaseline('after');

  return buildReport(
    options,
    { intakeAlone, applyAlone, together },
    [baselineBefore, baselineAfter],
    {
      accepted: intakeAlone.accepted + together.accepted,
      stored: backlogStored.notifications + freshStored.notifications,
      deadLettered: backlogStored.deadLettered + freshStored.deadLettered,
    },
    logLines.length,
  );
}

/** How fast replicas that have just started apply the backlog they found: what is left once they answer, over the time to apply it. */
async function drain(target: SignalingTarget): Promise<ApplyFigures> {
  const began = performance.now();
  const notifications = await target.backlog();
  await target.settle();
  const seconds = (performance.now() - began) / 1000;
  return { notifications, seconds, perSecond: notifications / seconds };
}

/** The records of `callIds` as established calls, in the bucket the service has created, before any traffic. */
async function writeEstablishedCalls(nc: NatsConnection, bucket: string, callIds: readonly string[]): Promise<void> {
  if (callIds.length === 0) return;
  const store = await CallStateStore.open(nc, bucket, { bindOnly: true });
  const now = new Date();
  await Promise.all(callIds.map((callId) => store.write(establishedCallRecord(callId, TENANT_ID, now), undefined)));
}

void runBenchScript<BenchOptions, WebhookBenchReport>({
  name: 'webhook benchmark',
  parse: parseBenchOptions,
  run: runBenchmark,
  format: formatReport,
  problem: (report) =>
    report.persistence.match ? undefined : 'the notifications stream does not hold one message per 202: the throughput figure is not persistence',
});
