import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { launchPlatform, workspaceRoot } from '@switchboard/dev-infra';
import { demoCallers, runDemoCall } from './app/demo-call';
import { runDemoMeeting } from './app/demo-meeting';

/** `npm start -- --exit-after-demo`: stop after the summary; exit code 0 only when every demo call ended as expected. */
const EXIT_AFTER_DEMO = '--exit-after-demo';

/**
 * `npm start`: the whole platform on this machine against the Graph emulator, a demo call, then it keeps running
 * until Ctrl-C (or, with --exit-after-demo, stops after the summary). Service logs go to .swb/logs/<service>.log
 * (JSON lines).
 */
async function main(): Promise<void> {
  const exitAfterDemo = process.argv.slice(2).includes(EXIT_AFTER_DEMO);
  const root = workspaceRoot();
  const logDir = join(root, '.swb', 'logs');
  mkdirSync(logDir, { recursive: true });
  const logs = new Map<string, WriteStream>();
  const onLine = (line: string, name: string) => {
    let stream = logs.get(name);
    if (!stream) logs.set(name, (stream = createWriteStream(join(logDir, `${name}.log`), { flags: 'w' })));
    stream.write(`${line}\n`);
  };
  const print = (line: string) => process.stdout.write(`${line}\n`);

  print('Switchboard: starting NATS, the Graph emulator and the services…');
  const platform = await launchPlatform({
    onLine,
    services: ['meeting-join', 'recording-compliance', 'media'],
    signalingEnv: { ROUTING_FILE: join(root, 'apps', 'devstack', 'config', 'routing.yaml') },
  });
  const stop = async (code: number) => {
    print('\nStopping…');
    await platform.stop();
    for (const stream of logs.values()) stream.end();
    process.exit(code);
  };
  // Ctrl-C is how an interactive run ends; a run that was to exit by itself and is interrupted has no verdict.
  process.once('SIGINT', () => void stop(exitAfterDemo ? 130 : 0));
  process.once('SIGTERM', () => void stop(exitAfterDemo ? 143 : 0));

  print(`  NATS             ${platform.nats.url}${platform.nats.started ? ' (started from nats-server on PATH)' : ''}`);
  print(`  Graph emulator   ${platform.emulator.baseUrl} (CA: ${platform.emulator.caPath})`);
  print(`  signaling        ${platform.signalingUrls[0]}  (webhook POST /api/calling)`);
  if (platform.blobConnectionString) print(`  Blob storage     Azurite (recordings; BLOB_CONNECTION_STRING given to recording-compliance and media)`);
  for (const s of platform.services) print(`  ${s.name.padEnd(16)} ${s.httpUrl}${s.grpcPort ? `  gRPC 127.0.0.1:${s.grpcPort}` : ''}`);
  print('');
  const verdicts: string[] = [];
  for (const caller of demoCallers) {
    try {
      const { callId, events } = await runDemoCall(platform, caller, print);
      const ok = caller.endedAsExpected(events);
      const summary = caller.summary?.(events);
      if (summary) print(`  ${summary}`);
      print(`${ok ? '✔' : '✘'} call ${callId} finished${ok ? '' : `, but not as expected (${caller.expected})`}\n`);
      if (!ok) verdicts.push(`${caller.displayName}: expected that ${caller.expected}`);
    } catch (error) {
      print(`✘ demo call failed: ${(error as Error).message}`);
      print(`  see ${logDir}`);
      verdicts.push(`${caller.displayName}: ${(error as Error).message}`);
    }
  }
  try {
    const ok = await runDemoMeeting(platform, print);
    print(`${ok ? '✔' : '✘'} the meeting demo finished${ok ? '' : ', but the roster was not as expected'}\n`);
    if (!ok) verdicts.push('meeting: expected Grace and a muted Alan in the roster');
  } catch (error) {
    print(`✘ the meeting demo failed: ${(error as Error).message}`);
    verdicts.push(`meeting: ${(error as Error).message}`);
  }
  print(`
Where to look:
  every Graph request the bot made   ${platform.emulator.baseUrl}/emulator/requests
  notifications the emulator sent    ${platform.emulator.baseUrl}/emulator/notifications
  calls as the emulator sees them    ${platform.emulator.baseUrl}/emulator/calls
  place another call                 curl --cacert ${platform.emulator.caPath} -X POST ${platform.emulator.baseUrl}/emulator/calls/incoming -H 'content-type: application/json' -d '{}'
  readiness and metrics              ${platform.signalingUrls[0]}/health/ready  ${platform.signalingUrls[0]}/metrics
  call events on NATS                subjects calls.v1.events.> (e.g. nats sub 'calls.v1.events.>' -s ${platform.nats.url})
  the demo's menu and routing        apps/devstack/config/ (flows/front-desk.yaml, routing.yaml)
  meetings in the emulator           ${platform.emulator.baseUrl}/emulator/meetings
  service logs (JSON lines)          ${logDir}`);
  if (!exitAfterDemo) {
    print('Running until Ctrl-C.');
    return;
  }
  print(verdicts.length === 0 ? '\nThe demo calls ended as expected.' : `\nThe demo did not go as expected:\n  ${verdicts.join('\n  ')}`);
  await stop(verdicts.length === 0 ? 0 : 1);
}

main().catch((error: unknown) => {
  process.stderr.write(`Switchboard could not start: ${(error as Error).message}\n`);
  process.exit(1);
});
