import { z } from 'zod';
import { graphEnum, graphObject } from './odata';

export const changeTypeSchema = graphEnum(['created', 'updated', 'deleted']);
export type ChangeType = z.infer<typeof changeTypeSchema>;

/** One entity inside `resourceData`; typed readers (call, participant, operation) parse it further. */
const entitySchema = graphObject({ '@odata.type': z.string().optional() });

export const commsNotificationSchema = graphObject({
  '@odata.type': z.string().optional(),
  changeType: changeTypeSchema,
  resourceUrl: z.string().min(1).optional(),
  /** Legacy alias of resourceUrl seen in some examples. */
  resource: z.string().min(1).optional(),
  callbackUri: z.string().nullish(),
  resourceData: z.union([entitySchema, z.array(entitySchema)]).nullish(),
}).refine((n) => n.resourceUrl !== undefined || n.resource !== undefined, {
  message: 'a notification needs resourceUrl (or the legacy resource)',
  path: ['resourceUrl'],
});
export type CommsNotification = z.infer<typeof commsNotificationSchema>;

export const commsNotificationsSchema = graphObject({
  '@odata.type': z.string().optional(),
  value: z.array(commsNotificationSchema).min(1, 'value must hold at least one notification'),
});
export type CommsNotifications = z.infer<typeof commsNotificationsSchema>;

export type ResourceKind = 'call' | 'participants' | 'operation' | 'contentSharingSessions';
export interface ResourceRef {
  callId: string;
  kind: ResourceKind;
  /** Set for `/operations/{id}` and `/participants/{id}`. */
  subId?: string;
}

const resourcePattern =
  /^\/?(?:communications|app)\/calls\/([^/?#]+)(?:\/(participants|operations|contentsharingsessions)(?:\/([^/?#]+))?)?\/?$/i;

/**
 * Reads `/communications/calls/{id}[/participants|/operations/{opId}|/contentsharingsessions]` and the legacy
 * `/app/calls/{id}` form. Tolerates a missing leading slash (seen in an example). Undefined when it is not a call resource.
 */
export function parseResourceUrl(url: string): ResourceRef | undefined {
  const m = resourcePattern.exec(url.trim());
  if (!m) return undefined;
  const [, callId, sub, subId] = m;
  const kind: ResourceKind = !sub
    ? 'call'
    : sub.toLowerCase() === 'participants'
      ? 'participants'
      : sub.toLowerCase() === 'operations'
        ? 'operation'
        : 'contentSharingSessions';
  if (kind === 'operation' && !subId) return undefined;
  return { callId: callId.toLowerCase(), kind, ...(subId ? { subId } : {}) };
}

/** The resource a notification is about, from `resourceUrl` or the legacy `resource`. */
export const notificationResource = (n: CommsNotification): ResourceRef | undefined =>
  parseResourceUrl(n.resourceUrl ?? n.resource ?? '');

/** `resourceData` as a list, whether Graph sent one entity or an array. */
export const resourceDataItems = (n: CommsNotification): Record<string, unknown>[] =>
  n.resourceData == null ? [] : Array.isArray(n.resourceData) ? n.resourceData : [n.resourceData];
