import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { launchPlatform, workspaceRoot } from '@switchboard/dev-infra';
import { demoCallers, runDemoCall } from './app/demo-call';

/**
 * `npm start`: the whole platform on this machine against the Graph emulator, a demo call, then it keeps running
 * until Ctrl-C. Service logs go to .swb/logs/<service>.log (JSON lines).
 */
async function main(): Promise<void> {
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
  const stop = async () => {
    print('\nStopping…');
    await platform.stop();
    for (const stream of logs.values()) stream.end();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());

  print(`  NATS             ${platform.nats.url}${platform.nats.started ? ' (started from nats-server on PATH)' : ''}`);
  print(`  Graph emulator   ${platform.emulator.baseUrl} (CA: ${platform.emulator.caPath})`);
  print(`  signaling        ${platform.signalingUrls[0]}  (webhook POST /api/calling)`);
  for (const s of platform.services) print(`  ${s.name.padEnd(16)} ${s.httpUrl}${s.grpcPort ? `  gRPC 127.0.0.1:${s.grpcPort}` : ''}`);
  print('');
  for (const caller of demoCallers) {
    try {
      const callId = await runDemoCall(platform, caller, print);
      print(`✔ call ${callId} finished\n`);
    } catch (error) {
      print(`✘ demo call failed: ${(error as Error).message}`);
      print(`  see ${logDir}`);
    }
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
  service logs (JSON lines)          ${logDir}
Running until Ctrl-C.`);
}

main().catch((error: unknown) => {
  process.stderr.write(`Switchboard could not start: ${(error as Error).message}\n`);
  process.exit(1);
});
