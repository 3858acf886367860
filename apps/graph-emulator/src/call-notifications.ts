import type { ChangeType } from '@switchboard/graph-models';
import { type CallRecord, type OperationRecord, operationView } from './call-record';
import type { Notifier } from './notifier';

const callPath = (callId: string) => `/communications/calls/${callId}`;
const legacyPath = (callId: string) => `/app/calls/${callId}`;

/**
 * Builds `commsNotifications` envelopes (contract §1.1) for a call and hands them to the notifier.
 * Nothing is sent once the call has been reported terminated.
 */
export class CallNotifications {
  constructor(private readonly notifier: Notifier) {}

  /** A `created`/`updated`/`deleted` about the call itself; `data` is the (partial) call. */
  call(call: CallRecord, changeType: ChangeType, data: Record<string, unknown>): void {
    this.send(call, changeType, '', { '@odata.type': '#microsoft.graph.call', ...data });
  }

  /** The final state of an operation that answered `running`. */
  operationDone(call: CallRecord, op: OperationRecord): void {
    this.send(call, 'deleted', `/operations/${op.id}`, operationView(op));
  }

  roster(call: CallRecord, participants: Record<string, unknown>[]): void {
    this.send(call, 'updated', '/participants', participants);
  }

  private send(call: CallRecord, changeType: ChangeType, sub: string, resourceData: unknown): void {
    const resourceUrl = `${callPath(call.id)}${sub}`;
    this.notifier.send({
      callId: call.id,
      tenantId: call.tenantId,
      target: call.callbackUri,
      changeType,
      resourceUrl,
      body: {
        '@odata.type': '#microsoft.graph.commsNotifications',
        value: [
          {
            '@odata.type': '#microsoft.graph.commsNotification',
            changeType,
            resourceUrl,
            resource: `${legacyPath(call.id)}${sub}`,
            callbackUri: call.callbackUri,
            resourceData,
          },
        ],
      },
    });
  }
}
