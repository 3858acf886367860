import { natsNames } from '@switchboard/nats-contracts';
import { connectNats, createLogger, loadConfig, logBootFailure } from '@switchboard/service-kit';
import { mediaConfigSchema, MediaConfig, SERVICE_NAME } from './app/config';
import { MediaHeartbeat, openMediaPodsBucket } from './app/heartbeat';
import { startMediaServer } from './app/media-server';
import { connectSessionsToNats } from './app/session/media-sessions-nats';
import { natsMediaEventPublisher } from './app/session/nats-media-events';
import { podRecording } from './app/recording/pod-recording';
import { httpPromptLoader } from './app/session/prompt-source';
import type { SessionHub } from './app/session/session-hub';

async function main(): Promise<void> {
  let config: MediaConfig;
  try {
    config = loadConfig(mediaConfigSchema);
  } catch (err) {
    logBootFailure(createLogger({ service: SERVICE_NAME }), err);
    process.exit(1);
  }
  const logger = createLogger({ service: SERVICE_NAME, level: config.LOG_LEVEL });
  try {
    const nc = await connectNats(config, `${SERVICE_NAME}-${config.POD_NAME}`);
    const names = natsNames(config.NATS_NAMESPACE);
    const kv = await openMediaPodsBucket(nc.jetstream(), names, config.HEARTBEAT_INTERVAL_MS);
    // Recording only under recording-compliance's grants; without storage configured nothing is recorded.
    const recording = podRecording(nc, config, logger);
    const server = await startMediaServer(config, logger, {
      sessions: { publish: natsMediaEventPublisher(nc, names), loadPrompt: httpPromptLoader(), ...recording.sessions },
    });
    const onNats = connectSessionsToNats({
      nc,
      names,
      sessions: server.sessions as SessionHub,
      where: () => ({ podName: config.POD_NAME, grpcTarget: server.grpcTarget }),
      logger,
    });
    const heartbeat = new MediaHeartbeat({
      kv,
      podName: config.POD_NAME,
      calls: server.calls,
      intervalMs: config.HEARTBEAT_INTERVAL_MS,
      grpcTarget: server.grpcTarget,
      logger,
    });
    await heartbeat.start();
    // SIGTERM (pod deletion) drains: NOT_SERVING, no new calls (the heartbeat says so at once), live calls finish,
    // then the pod's heartbeat entry is removed and the process exits.
    const stop = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'stopping');
      void server
        .drainAndStop()
        .then(() => onNats.stop())
        .then(() => recording.close())
        .then(() => heartbeat.stop({ remove: true }))
        .then(() => nc.drain())
        .catch((err: unknown) => logger.warn({ err }, 'stopping: NATS did not close cleanly'))
        .finally(() => process.exit(0));
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  } catch (err) {
    logBootFailure(logger, err);
    process.exit(1);
  }
}

void main();
