import { z } from 'zod';
import { graphObject } from './odata';

export const identitySchema = graphObject({
  '@odata.type': z.string().optional(),
  id: z.string().nullish(),
  displayName: z.string().nullish(),
  tenantId: z.string().nullish(),
});
export type Identity = z.infer<typeof identitySchema>;

/** The identity kinds a `communicationsIdentitySet` may carry (contract §1.2). */
export const identityKinds = [
  'user',
  'application',
  'applicationInstance',
  'phone',
  'guest',
  'encrypted',
  'onPremises',
  'azureCommunicationServicesUser',
  'assertedIdentity',
] as const;
export type IdentityKind = (typeof identityKinds)[number];

export const identitySetSchema = graphObject({
  '@odata.type': z.string().optional(),
  user: identitySchema.nullish(),
  application: identitySchema.nullish(),
  applicationInstance: identitySchema.nullish(),
  phone: identitySchema.nullish(),
  guest: identitySchema.nullish(),
  encrypted: identitySchema.nullish(),
  onPremises: identitySchema.nullish(),
  azureCommunicationServicesUser: identitySchema.nullish(),
  assertedIdentity: identitySchema.nullish(),
  endpointType: z.string().nullish(),
});
export type IdentitySet = z.infer<typeof identitySetSchema>;

/** The first identity present in a set, with its kind: what a person or app "is" for routing and logs. */
export function primaryIdentity(set: IdentitySet | null | undefined): { kind: IdentityKind; identity: Identity } | undefined {
  if (!set) return undefined;
  for (const kind of identityKinds) {
    const identity = set[kind];
    if (identity) return { kind, identity };
  }
  return undefined;
}

export const participantInfoSchema = graphObject({
  '@odata.type': z.string().optional(),
  id: z.string().nullish(),
  identity: identitySetSchema.nullish(),
  endpointType: z.string().nullish(),
  region: z.string().nullish(),
  languageId: z.string().nullish(),
  countryCode: z.string().nullish(),
  participantId: z.string().nullish(),
});
export type ParticipantInfo = z.infer<typeof participantInfoSchema>;

export const invitationParticipantInfoSchema = graphObject({
  '@odata.type': z.string().optional(),
  identity: identitySetSchema,
  endpointType: z.string().nullish(),
  hidden: z.boolean().nullish(),
  participantId: z.string().nullish(),
  removeFromDefaultAudioRoutingGroup: z.boolean().nullish(),
  replacesCallId: z.string().nullish(),
});
export type InvitationParticipantInfo = z.infer<typeof invitationParticipantInfoSchema>;
