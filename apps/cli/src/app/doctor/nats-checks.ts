import { connect, type NatsConnection } from 'nats';
import { isJetStreamError, JsErrorCode } from '@switchboard/jetstream';
import { isHeartbeatStale, heartbeatAgeMs, mediaHeartbeatSchema, type MediaHeartbeat, type NatsNames } from '@switchboard/nats-contracts';
import { errorText, fail, ok, skip, warn, within, type Finding } from './finding';

/** Where the services reach NATS: NATS_URL, and the user the services connect as (NATS_USER/NATS_PASSWORD), if any. */
export interface NatsAccess {
  url: string;
  user?: string;
  pass?: string;
}

/** Connects as the services do and checks JetStream; the connection is handed to the media check. */
export async function checkNats(access: NatsAccess, names: NatsNames, timeoutMs: number): Promise<{ nc?: NatsConnection; findings: Finding[] }> {
  const { url, user, pass } = access;
  let nc: NatsConnection;
  try {
    nc = await connect({ servers: url, ...(user ? { user, pass } : {}), timeout: timeoutMs, reconnect: false, name: 'switchboard-doctor' });
  } catch (error) {
    return { findings: [fail('NATS', `cannot connect to ${url}: ${errorText(error)}`, 'set NATS_URL to the server the services use (the chart\'s nats Service, or nats.url with nats.mode=external)')] };
  }
  try {
    const jsm = await nc.jetstreamManager({ timeout: timeoutMs });
    const account = await within(timeoutMs, 'JetStream account info', jsm.getAccountInfo());
    const findings = [ok('NATS', `${url} answers, JetStream on (${account.streams} streams, ${account.consumers} consumers)`)];
    const ns = names.namespace ? `namespace "${names.namespace}"` : 'no namespace';
    try {
      const info = await within(timeoutMs, 'stream info', jsm.streams.info(names.notificationsStream));
      findings.push(ok('JetStream', `stream ${names.notificationsStream} (${ns}) holds ${info.state.messages} notifications`));
    } catch (error) {
      if (!isJetStreamError(error, JsErrorCode.StreamNotFound)) throw error;
      findings.push(warn('JetStream', `no stream ${names.notificationsStream} (${ns}): signaling has not started against this server`, 'start signaling with the same NATS_URL and NATS_NAMESPACE; it creates its streams at boot'));
    }
    return { nc, findings };
  } catch (error) {
    await nc.close();
    return { findings: [fail('NATS', `${url} answers but JetStream does not: ${errorText(error)}`, 'run nats-server with JetStream (-js, or jetstream.enabled in the nats chart)')] };
  }
}

export interface MediaCheckOptions {
  /** App-hosted media is on: media pods must be heartbeating. */
  required: boolean;
  /** How many media pods should be up (the StatefulSet's replicas), when known. */
  expectedPods?: number;
  now?: number;
}

/** The media pods bucket: who heartbeats, who stopped, who drains, and whether any pod can take a new call. */
export async function checkMediaPods(nc: NatsConnection, names: NatsNames, options: MediaCheckOptions): Promise<Finding[]> {
  const check = 'media pods';
  const bucket = names.mediaPodsBucket;
  const jsm = await nc.jetstreamManager();
  try {
    await jsm.streams.info(`KV_${bucket}`);
  } catch {
    return options.required
      ? [fail(check, `no media pod has written a heartbeat (bucket ${bucket} does not exist)`, 'start the media pods with the same NATS_URL and NATS_NAMESPACE (kubectl get pods -l app.kubernetes.io/component=media)')]
      : [skip(check, 'app-hosted media is off and no media pod heartbeats')];
  }
  const kv = await nc.jetstream().views.kv(bucket, { bindOnly: true });
  const findings: Finding[] = [];
  const beats: MediaHeartbeat[] = [];
  // Keys first, values after: reading while the key listing is still being delivered cuts the listing short.
  const keys: string[] = [];
  for await (const key of await kv.keys()) keys.push(key);
  for (const key of keys.sort()) {
    const entry = await kv.get(key);
    if (!entry || entry.operation !== 'PUT') continue;
    let value: unknown;
    try {
      value = entry.json();
    } catch {
      value = undefined;
    }
    const parsed = mediaHeartbeatSchema.safeParse(value);
    if (parsed.success) beats.push(parsed.data);
    else findings.push(warn(check, `entry "${key}" in ${bucket} is not a heartbeat`, `delete it (nats kv del ${bucket} ${key}); only media pods write there`));
  }
  const now = options.now ?? Date.now();
  const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;
  const stale = beats.filter((b) => isHeartbeatStale(b, now));
  const live = beats.filter((b) => !isHeartbeatStale(b, now));
  for (const b of stale.sort((x, y) => x.pod.localeCompare(y.pod))) {
    findings.push(
      fail(
        check,
        `media pod ${b.pod} stopped sending heartbeats: the last one is ${seconds(heartbeatAgeMs(b, now))} old (it writes every ${seconds(b.intervalMs)}); ${b.activeCalls} call(s) were on it`,
        `kubectl describe pod ${b.pod} and kubectl logs ${b.pod} -c media: a crashed or hung pod loses its calls; check it reaches NATS.\nA pod removed on purpose deletes its entry; a stale one drops out of ${bucket} on its own.`,
      ),
    );
  }
  const draining = live.filter((b) => b.draining);
  for (const b of draining) {
    findings.push(warn(check, `media pod ${b.pod} is draining (${b.activeCalls} call(s) left) and takes no new call`, 'expected during a rollout or scale-down; otherwise the pod was sent SIGTERM or POST /drain'));
  }
  const taking = live.filter((b) => !b.draining);
  const free = taking.reduce((sum, b) => sum + Math.max(0, b.maxCalls - b.activeCalls), 0);
  if (taking.length > 0) {
    const load = taking.map((b) => `${b.pod} ${b.activeCalls}/${b.maxCalls}`).join(', ');
    findings.push(free > 0 ? ok(check, `${taking.length} pod(s) take calls: ${load}`) : fail(check, `every media pod is full: ${load}`, 'add media pods: helm upgrade … --set media.replicaCount=<n>'));
  } else if (options.required) {
    findings.push(fail(check, 'no media pod can take a new call', 'start media pods (or wait for the rollout); app-hosted calls cannot be placed until one heartbeats'));
  }
  if (options.expectedPods !== undefined && live.length < options.expectedPods) {
    findings.push(fail(check, `${live.length} of ${options.expectedPods} expected media pods heartbeat`, 'kubectl get pods -l app.kubernetes.io/component=media: look for pods that are not running'));
  }
  return findings;
}
