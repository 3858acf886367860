import type { NatsConnection } from 'nats';
import { Responder, type LogFn } from '@switchboard/jetstream';
import {
  callIdToken,
  mediaCommandSchemas,
  type MediaCommandOf,
  type MediaCommandRefusal,
  type MediaCommandReplyOf,
  type MediaCommandVerb,
  type NatsNames,
} from '@switchboard/nats-contracts';
import { CallRecordingRefused, type CallSession } from './call-session';
import { RecordingBusyError } from './message-recording';
import { DuplicatePromptError } from './prompt-player';
import type { SessionLifecycle } from './session-hub';

type Answer<V extends MediaCommandVerb> = MediaCommandReplyOf<V> | MediaCommandRefusal;

/**
 * Answers a call's commands (`media.v1.commands.<callToken>.<verb>`) while its session is on this pod: only the
 * hosting pod subscribes, so a command for a call that is not streaming anywhere meets "no responders".
 */
export class MediaCommandResponders implements SessionLifecycle {
  private readonly byCall = new Map<CallSession, Responder<never, unknown>[]>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly names: Pick<NatsNames, 'mediaCommandSubject'>,
    private readonly where: () => { podName: string; grpcTarget: string },
    private readonly log: LogFn,
  ) {}

  started(session: CallSession): void {
    const { callId } = session;
    const queue = `media-${callIdToken(callId)}`;
    const responders = [
      this.responder(callId, 'play', queue, (command): Answer<'play'> => {
        try {
          return { ok: true, id: command.id, queued: session.play(command) };
        } catch (err) {
          if (err instanceof DuplicatePromptError) return { ok: false, error: 'duplicate', message: err.message };
          throw err;
        }
      }),
      this.responder(callId, 'record', queue, (command): Answer<'record'> => {
        try {
          session.record(command);
          return { ok: true, id: command.id };
        } catch (err) {
          if (err instanceof RecordingBusyError) return { ok: false, error: 'busy', message: err.message };
          throw err;
        }
      }),
      this.responder(callId, 'record-call', queue, async (): Promise<Answer<'record-call'>> => {
        try {
          return { ok: true, grantId: (await session.recordCall()).grantId };
        } catch (err) {
          if (err instanceof CallRecordingRefused) return { ok: false, error: err.code, message: err.message };
          throw err;
        }
      }),
      this.responder(callId, 'cancel', queue, (command): Answer<'cancel'> => ({ ok: true, cancelled: session.cancel(command.id) })),
      this.responder(callId, 'locate', queue, (): Answer<'locate'> => ({ ok: true, ...this.where() })),
    ];
    for (const r of responders) r.start();
    this.byCall.set(session, responders as Responder<never, unknown>[]);
  }

  ended(session: CallSession): void {
    const responders = this.byCall.get(session) ?? [];
    this.byCall.delete(session);
    for (const r of responders) void r.stop();
  }

  /** Stops answering for every call (the pod stops). */
  async stop(): Promise<void> {
    const all = [...this.byCall.values()].flat();
    this.byCall.clear();
    await Promise.all(all.map((r) => r.stop()));
  }

  private responder<V extends MediaCommandVerb>(
    callId: string,
    verb: V,
    queue: string,
    handle: (command: MediaCommandOf<V>) => Answer<V> | Promise<Answer<V>>,
  ) {
    return new Responder(this.nc, {
      subject: this.names.mediaCommandSubject(callId, verb),
      queue,
      schema: mediaCommandSchemas[verb] as (typeof mediaCommandSchemas)[MediaCommandVerb],
      // The schema is the verb's, so the parsed command is the verb's.
      handle: async (command) => handle(command as MediaCommandOf<V>),
      log: (level, msg, fields) => this.log(level, msg, { ...fields, callId }),
    });
  }
}
