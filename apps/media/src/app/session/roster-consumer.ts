import type { NatsConnection, Subscription } from 'nats';
import { callEventSchemas, type NatsNames } from '@switchboard/nats-contracts';
import type { LogFn } from '@switchboard/jetstream';
import type { CallSession } from './call-session';
import type { SessionHub, SessionLifecycle } from './session-hub';
import type { RosterParticipant } from './speaker-directory';

/** Rosters of calls not (yet) streaming here, kept for when their stream opens. */
const PENDING_ROSTERS = 1000;

/**
 * Feeds each session's MSI → participant map from signaling's `participants-updated` events. Every pod hears every
 * roster and keeps those of its own calls; a roster that comes before the call's stream opens is applied on open.
 */
export class RosterConsumer implements SessionLifecycle {
  private subscription?: Subscription;
  private readonly pending = new Map<string, RosterParticipant[]>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly names: Pick<NatsNames, 'eventSubject'>,
    private readonly hub: SessionHub,
    private readonly log: LogFn,
  ) {}

  start(): void {
    this.subscription = this.nc.subscribe(this.names.eventSubject('participants-updated'), {
      callback: (err, msg) => {
        if (err) return this.log('warn', 'roster subscription failed', { error: err.message });
        this.apply(msg.data);
      },
    });
  }

  async stop(): Promise<void> {
    await this.subscription?.drain().catch(() => undefined);
  }

  /** Applies one `participants-updated` payload; a bad one is logged and changes nothing. */
  apply(data: Uint8Array): void {
    let parsed;
    try {
      parsed = callEventSchemas['participants-updated'].safeParse(JSON.parse(new TextDecoder().decode(data)));
    } catch {
      return this.log('warn', 'participants-updated is not JSON; ignored', {});
    }
    if (!parsed.success) return this.log('warn', 'participants-updated does not match its schema; ignored', { error: parsed.error.message });
    // A call the API placed streams here under the id it was prepared with, which the event names beside Graph's.
    const { participants } = parsed.data;
    const callId = parsed.data.mediaCallId ?? parsed.data.callId;
    const session = this.hub.get(callId);
    if (session) {
      session.participantsUpdated(participants);
      return;
    }
    const key = callId.toLowerCase();
    this.pending.delete(key);
    this.pending.set(key, participants);
    if (this.pending.size > PENDING_ROSTERS) this.pending.delete(this.pending.keys().next().value as string);
  }

  started(session: CallSession): void {
    const key = session.callId.toLowerCase();
    const roster = this.pending.get(key);
    if (!roster) return;
    this.pending.delete(key);
    session.participantsUpdated(roster);
  }

  ended(): void {
    // Nothing kept per live call.
  }
}
