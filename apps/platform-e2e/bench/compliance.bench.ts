/**
 * Policy-based recording invitations answered under load: a burst of invitations (compliance recording asks for an
 * answer within 5 s), from the emulator inviting the bot to the answer request arriving back at the emulator, through
 * signaling (routing, the incoming event) and recording-compliance (the answer command). The same-run baseline is a
 * burst of ordinary incoming calls, which signaling answers by itself. Invitations are answered as recording-compliance
 * answers them by default, with app-hosted media: each is first placed on the media pod (PrepareCall).
 *
 *   npm run bench:compliance -- [--calls 50] [--json]
 *
 * Needs dist/apps/{signaling,recording-compliance,media,graph-emulator}/main.js (the nx target builds them) and NATS with
 * JetStream (NATS_URL, or nats-server on PATH).
 */
import { BenchUsageError, launchPlatform, loadAverage, machineFacts, runBenchScript, summarizeLatencies, waitUntil, type LatencySummary, type RunningPlatform } from '@switchboard/dev-infra';

interface Options {
  calls: number;
  json: boolean;
}

interface Report {
  machine: ReturnType<typeof machineFacts>;
  calls: number;
  invitations: LatencySummary;
  ordinaryCalls: LatencySummary;
  /** Invitation p99 over the ordinary calls' p99. */
  p99Ratio: number;
  loadBefore: number;
}

function parse(argv: readonly string[]): Options {
  const at = argv.indexOf('--calls');
  const calls = at >= 0 ? Number(argv[at + 1]) : 50;
  if (!Number.isInteger(calls) || calls < 1 || calls > 1000) throw new BenchUsageError('--calls takes a whole number from 1 to 1000');
  return { calls, json: argv.includes('--json') };
}

interface LoggedRequest {
  at: string;
  path: string;
  status: number;
}

/** Milliseconds from asking the emulator for each call to the bot's answer request reaching it. */
async function burst(platform: RunningPlatform, calls: number, path: string, body: (i: number) => unknown): Promise<number[]> {
  const { http, baseUrl } = platform.emulator;
  const started = await Promise.all(
    Array.from({ length: calls }, async (_, i) => {
      const at = Date.now();
      const res = await http.send<{ callId: string }>('POST', `${baseUrl}${path}`, body(i));
      if (res.status !== 201) throw new Error(`${path} answered ${res.status}`);
      return { callId: res.body.callId, at };
    }),
  );
  const answers = new Map<string, number>();
  await waitUntil(
    async () => {
      const log = await http.send<{ items: (LoggedRequest & { callId?: string })[] }>('GET', `${baseUrl}/emulator/requests?since=0`);
      for (const r of log.body.items) if (r.callId && r.path.endsWith('/answer') && r.status === 202) answers.set(r.callId, Date.parse(r.at));
      return started.every((s) => answers.has(s.callId));
    },
    `answers to ${calls} calls`,
    60_000,
    200,
  );
  return started.map((s) => (answers.get(s.callId) ?? Number.NaN) - s.at);
}

async function run(options: Options, teardown: { add(step: () => Promise<unknown>): void }): Promise<Report> {
  const loadBefore = loadAverage();
  process.stderr.write('starting NATS, the emulator, signaling, recording-compliance and a media pod\n');
  const platform = await launchPlatform({ namespace: `bc${Date.now().toString(36)}`, services: ['recording-compliance', 'media'], emulatorEnv: { EMULATOR_ANSWER_DELAY_MS: '20' } });
  teardown.add(() => platform.stop());
  process.stderr.write(`baseline: ${options.calls} ordinary calls at once\n`);
  const ordinary = await burst(platform, options.calls, '/emulator/calls/incoming', (i) => ({ caller: { displayName: `Caller ${i}` } }));
  process.stderr.write(`subject: ${options.calls} policy-based recording invitations at once\n`);
  const invites = await burst(platform, options.calls, '/emulator/calls/compliance-invite', (i) => ({ observedUser: { id: `recorded-${i}` }, policyId: 'tag:Bench', meeting: i % 2 === 0 }));
  const invitations = summarizeLatencies(invites);
  const ordinaryCalls = summarizeLatencies(ordinary);
  return { machine: machineFacts(), calls: options.calls, invitations, ordinaryCalls, p99Ratio: Math.round((invitations.p99Ms / ordinaryCalls.p99Ms) * 100) / 100, loadBefore };
}

const row = (name: string, s: LatencySummary) => `${name.padEnd(24)} p50 ${s.p50Ms.toFixed(0).padStart(6)} ms   p90 ${s.p90Ms.toFixed(0).padStart(6)} ms   p99 ${s.p99Ms.toFixed(0).padStart(6)} ms   max ${s.maxMs.toFixed(0).padStart(6)} ms`;

void runBenchScript<Options, Report>({
  name: 'compliance invitation benchmark',
  parse,
  run,
  format: (r) =>
    [
      `${r.calls} at once, ${r.machine.cores} cores (${r.machine.cpuModel}), load before ${r.loadBefore}, node ${r.machine.node}`,
      row('policy invitations', r.invitations),
      row('ordinary calls (baseline)', r.ordinaryCalls),
      `invitation p99 / baseline p99: ${r.p99Ratio}   (Graph's limit for invitations: 5000 ms; target p99 < 1000 ms)`,
    ].join('\n'),
  problem: (r) => (r.invitations.p99Ms >= 1000 ? `invitation p99 ${r.invitations.p99Ms.toFixed(0)} ms is not under 1 s` : undefined),
});
