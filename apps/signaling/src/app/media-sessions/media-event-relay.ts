import type { JetStreamClient } from 'nats';
import { flowMediaEventSchema, type FlowMediaEvent, type NatsNames } from '@switchboard/nats-contracts';
import { PullWorker, type Decision, type LogFn, type MediaCallDirectory, type PullWorkerObserver } from '@switchboard/jetstream';
import { mediaEventRequestId } from '../orchestration/effect-ids';
import type { InputScheduler } from '../orchestration/ports';

/** A flow-relevant media event, or an error naming each bad field on one line (it goes into the dead-letter's header). */
function decodeEvent(data: unknown): FlowMediaEvent {
  const parsed = flowMediaEventSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  throw new Error(`not a media event of the contract: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`).join('; ')}`);
}

export interface MediaEventRelaySettings {
  /** Deliveries an event gets; a failure on the last one dead-letters it. */
  maxDeliver: number;
  log: LogFn;
  observer?: PullWorkerObserver;
}

/**
 * Turns the media events a flow acts on (kept in the media events stream: the pods publish them on core NATS) into
 * inputs of their calls on the inputs stream, where they are applied one at a time per call like Graph's
 * notifications. The consumer lets one event out at a time across all replicas, so a call's events reach its inputs
 * in the order the pod published them; the input's message id (call + `mediaEventRequestId`) makes a redelivered
 * event a duplicate the inputs stream drops.
 */
export class MediaEventRelay {
  private readonly worker: PullWorker<FlowMediaEvent>;

  constructor(
    js: JetStreamClient,
    names: NatsNames,
    private readonly calls: Pick<MediaCallDirectory, 'callIdOf'>,
    private readonly inputs: InputScheduler,
    settings: MediaEventRelaySettings,
  ) {
    this.worker = new PullWorker(js, {
      stream: names.mediaEventsStream,
      consumer: names.mediaEventsConsumer,
      decode: (msg) => decodeEvent(msg.json()),
      handle: (event) => this.relay(event),
      maxDeliver: settings.maxDeliver,
      concurrency: 1,
      deadLetter: { subject: names.deadLetterSubject },
      log: settings.log,
      ...(settings.observer ? { observer: settings.observer } : {}),
    });
  }

  start(): Promise<void> {
    return this.worker.start();
  }

  stop(): Promise<void> {
    return this.worker.stop();
  }

  private async relay(event: FlowMediaEvent): Promise<Decision> {
    const callId = await this.calls.callIdOf(event.callId);
    await this.inputs.schedule(callId, { kind: 'media-event', requestId: mediaEventRequestId(event), event });
    return { kind: 'done' };
  }
}
