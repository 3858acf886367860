import contentSharingEnded from '../fixtures/docs/application-post-calls.ex1.content-sharing-ended.json';
import dtmfCompleted from '../fixtures/docs/call-senddtmftones.completed.json';
import dtmfCancelled from '../fixtures/docs/call-senddtmftones.error-case-1.json';
import dtmfUnknown from '../fixtures/docs/call-senddtmftones.error-case-2.json';
import transferFailed from '../fixtures/docs/call-transfer.ex1.transfer-failed.json';
import inviteCompleted from '../fixtures/docs/participant-invite.ex1.operation-completed.json';
import inviteRoster from '../fixtures/docs/participant-invite.ex1.roster-updated.json';
import inviteWithoutIdCompleted from '../fixtures/docs/participant-invite.ex2.operation-completed.json';
import inviteOperationRoster from '../fixtures/docs/participant-invite.ex2.roster-updated.json';

/**
 * Notification shapes Graph sends, each with the page of microsoftgraph/microsoft-graph-docs-contrib
 * (`api-reference/v1.0/api/…`) it comes from. `printed` ones are copied as the page prints them
 * (`src/fixtures/docs/`); the others change one thing of a printed example in a way Graph also sends, and say
 * which. Test input for every reader of Graph's callbacks: the readers here, signaling's webhook and consumer.
 */
export interface DocumentedNotification {
  name: string;
  source: string;
  printed: boolean;
  /** A `commsNotifications` batch of one notification. */
  body: { value: Record<string, unknown>[] };
}

type Batch = DocumentedNotification['body'];

/** A copy of a printed batch whose notification is changed by `edit`. */
function variant(printed: Batch, edit: (n: Record<string, unknown>, data: Record<string, unknown>) => void): Batch {
  const copy = structuredClone(printed);
  for (const notification of copy.value) edit(notification, (notification['resourceData'] ?? {}) as Record<string, unknown>);
  return copy;
}

const printed = (name: string, source: string, body: Batch): DocumentedNotification => ({ name, source, printed: true, body });
const changed = (name: string, source: string, body: Batch): DocumentedNotification => ({ name, source, printed: false, body });

export const documentedNotifications: DocumentedNotification[] = [
  printed('invite operation completed', 'participant-invite.md, example 1', inviteCompleted as Batch),
  printed('roster with an invitee whose participant id is null', 'participant-invite.md, example 1', inviteRoster as Batch),
  printed('invite operation completed with id null (the id is in resourceUrl)', 'participant-invite.md, example 2', inviteWithoutIdCompleted as Batch),
  printed('roster sent on the invite operation URL', 'participant-invite.md, example 2', inviteOperationRoster as Batch),
  printed('sendDtmfTones completed successfully', 'call-senddtmftones.md', dtmfCompleted as Batch),
  printed('sendDtmfTones completed with completionReason mediaOperationCanceled', 'call-senddtmftones.md, error case 1', dtmfCancelled as Batch),
  printed('sendDtmfTones completed with completionReason unknown', 'call-senddtmftones.md, error case 2', dtmfUnknown as Batch),
  printed('transfer failed, resultInfo with subCode', 'call-transfer.md, example 1', transferFailed as Batch),
  printed('content sharing ended', 'application-post-calls.md, example 1', contentSharingEnded as Batch),
  changed('call state in other casing (Established)', 'call-transfer.md, example 1', variant(transferFailed as Batch, (_n, d) => { d['state'] = 'Established'; })),
  changed('result codes as strings', 'call-transfer.md, example 1', variant(transferFailed as Batch, (_n, d) => { d['resultInfo'] = { code: '500', subCode: '7000', message: '<message>' }; })),
  changed('operation status in other casing (Completed)', 'call-senddtmftones.md', variant(dtmfCompleted as Batch, (_n, d) => { d['status'] = 'Completed'; })),
  changed('operation without id in resourceData', 'call-senddtmftones.md', variant(dtmfCompleted as Batch, (_n, d) => { delete d['id']; })),
  changed('content sharing without resourceData', 'application-post-calls.md, example 1', variant(contentSharingEnded as Batch, (n) => { delete n['resourceData']; })),
];
