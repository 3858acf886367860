import type { NatsConnection } from 'nats';
import type { MediaSessionEvent, NatsNames } from '@switchboard/nats-contracts';

/**
 * Publishes media events on `media.v1.events.<callToken>.<type>`. Core NATS: an event is for whoever follows the
 * call now (the app, the flow on app-hosted media); frames keep coming whether or not anyone listens.
 */
export function natsMediaEventPublisher(nc: NatsConnection, names: Pick<NatsNames, 'mediaEventSubject'>): (event: MediaSessionEvent) => void {
  return (event) => nc.publish(names.mediaEventSubject(event.callId, event.type), JSON.stringify(event));
}
