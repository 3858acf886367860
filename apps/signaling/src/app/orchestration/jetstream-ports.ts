import type { JetStreamPipeline } from '@switchboard/jetstream';
import type { CallEvent, CallInput, NatsNames } from '@switchboard/nats-contracts';
import type { EventPublisher, InputScheduler } from './ports';

/** Call events on `calls.v1.events.<type>`; the event id is the message id, so a republished event is dropped. */
export class JetStreamEventPublisher implements EventPublisher {
  constructor(
    private readonly js: Pick<JetStreamPipeline, 'publish'>,
    private readonly names: NatsNames,
  ) {}

  async publish(event: CallEvent): Promise<void> {
    await this.js.publish(this.names.eventSubject(event.type), JSON.stringify(event), { msgID: event.eventId });
  }
}

/**
 * Inputs on the call's inputs subject. The message id is the call id plus the timer or request id: flow ids are
 * unique only within a call, and JetStream drops a repeated message id across the whole stream.
 */
export class JetStreamInputScheduler implements InputScheduler {
  constructor(
    private readonly js: Pick<JetStreamPipeline, 'publish'>,
    private readonly names: NatsNames,
  ) {}

  async schedule(callId: string, input: CallInput): Promise<void> {
    const id = input.kind === 'timer' ? input.timerId : input.requestId;
    await this.js.publish(this.names.inputSubject(callId), JSON.stringify(input), { msgID: `${callId}:${id}` });
  }
}
