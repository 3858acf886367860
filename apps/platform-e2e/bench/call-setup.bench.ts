/**
 * Call-setup benchmark: how long the platform takes from the Graph emulator's incoming-call notification to the
 * answer request arriving back at the emulator, at a fixed offered rate and over rising rates until it no longer
 * keeps up — next to a bare node:http bot measured in the same run on the same machine.
 *
 *   npm run bench:call-setup -- --rate 20 --duration 20 [--steps 5,10,20,30,40,50,60,70,80,100,120,160] [--replicas 2] [--json]
 *   npx tsx --tsconfig apps/platform-e2e/tsconfig.json apps/platform-e2e/bench/call-setup.bench.ts --rate 10
 *
 * Needs dist/apps/signaling/main.js and dist/apps/graph-emulator/main.js (the nx target builds them) and NATS with
 * JetStream (NATS_URL, or nats-server on PATH).
 */
import { builtApp, loadAverage, runBenchScript, workspaceRoot, type Teardown } from '@switchboard/dev-infra';
import { parseCallSetupOptions, type CallSetupOptions } from './call-setup-options';
import { buildReport, formatReport, type CallSetupReport } from './call-setup-report';
import { measureCallSetup } from './measure-setup';
import { startBaseline, startSubject, type SetupTarget } from './setup-targets';

async function runBenchmark(options: CallSetupOptions, teardown: Teardown): Promise<CallSetupReport> {
  const root = workspaceRoot();
  builtApp('signaling', root);
  builtApp('graph-emulator', root);
  const progress = (msg: string) => process.stderr.write(`${msg}\n`);
  const loadBefore = loadAverage();

  const measure = async (label: string, start: () => Promise<SetupTarget>) => {
    progress(`${label}: starting`);
    const target = await start();
    teardown.add(() => target.stop());
    const figures = await measureCallSetup(target, options, progress);
    await target.stop();
    return figures;
  };
  const baseline = await measure('baseline (bare node:http bot)', () => startBaseline(root));
  const subject = await measure(`signaling (${options.replicas} replica${options.replicas > 1 ? 's' : ''})`, () => startSubject(options.replicas));
  for (const line of subject.logLines.slice(0, 5)) progress(`signaling side said: ${line}`);
  for (const line of baseline.logLines.slice(0, 5)) progress(`baseline side said: ${line}`);
  return buildReport(options, loadBefore, subject, baseline);
}

void runBenchScript<CallSetupOptions, CallSetupReport>({
  name: 'call-setup benchmark',
  parse: parseCallSetupOptions,
  run: runBenchmark,
  format: formatReport,
  problem: (report) =>
    report.subject.fixed.answered === 0 || report.baseline.fixed.answered === 0 ? 'a bot answered no call at the fixed rate: the latency figures are empty' : undefined,
});
