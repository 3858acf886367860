import { z } from 'zod';
import { identitySetSchema, invitationParticipantInfoSchema, participantInfoSchema } from './identity';
import { mediaConfigSchema, modalitySchema } from './media-config';
import { chatInfoSchema, meetingInfoSchema } from './meeting';
import { graphEnum, graphObject, odataInt } from './odata';
import { resultInfoSchema } from './result-info';

export const callStates = [
  'incoming',
  'establishing',
  'ringing',
  'established',
  'hold',
  'transferring',
  'transferAccepted',
  'redirecting',
  'terminating',
  'terminated',
] as const;
export const callStateSchema = graphEnum(callStates);
export type CallState = z.infer<typeof callStateSchema>;

/** Keys a person can press: tone0–tone9, star, pound, plus what the schema also lists (a–d, flash). */
export const tones = [
  'tone0', 'tone1', 'tone2', 'tone3', 'tone4', 'tone5', 'tone6', 'tone7', 'tone8', 'tone9',
  'star', 'pound', 'a', 'b', 'c', 'd', 'flash',
] as const;
export const toneSchema = graphEnum(tones);
export type Tone = z.infer<typeof toneSchema>;

const digitOfTone: Record<Tone, string> = {
  tone0: '0', tone1: '1', tone2: '2', tone3: '3', tone4: '4', tone5: '5', tone6: '6', tone7: '7', tone8: '8', tone9: '9',
  star: '*', pound: '#', a: 'A', b: 'B', c: 'C', d: 'D', flash: '!',
};
/** The keypad character of a tone (`tone1` → `1`, `pound` → `#`). */
export const toneToDigit = (tone: Tone): string => digitOfTone[tone];
/** The tone for a keypad character, or undefined for anything that is not a key. */
export function digitToTone(digit: string): Tone | undefined {
  const upper = digit.toUpperCase();
  return (Object.keys(digitOfTone) as Tone[]).find((t) => digitOfTone[t] === upper);
}

export const toneInfoSchema = graphObject({
  '@odata.type': z.string().optional(),
  sequenceId: odataInt,
  tone: toneSchema,
});
export type ToneInfo = z.infer<typeof toneInfoSchema>;

export const callMediaStateSchema = graphObject({
  audio: graphEnum(['active', 'inactive', 'unknownFutureValue']).nullish(),
});

export const incomingContextSchema = graphObject({
  sourceParticipantId: z.string().nullish(),
  observedParticipantId: z.string().nullish(),
  onBehalfOf: identitySetSchema.nullish(),
  transferor: identitySetSchema.nullish(),
});

export const callOptionsSchema = graphObject({
  '@odata.type': z.string().optional(),
  hideBotAfterEscalation: z.boolean().nullish(),
  isContentSharingNotificationEnabled: z.boolean().nullish(),
  isDeltaRosterEnabled: z.boolean().nullish(),
});
export type CallOptions = z.infer<typeof callOptionsSchema>;

/**
 * A call as Graph sends it. Every field is optional because `updated` notifications carry partial calls
 * (often just `{ state }`); creation requests are checked by `createCallRequestSchema` instead.
 */
export const callSchema = graphObject({
  '@odata.type': z.string().optional(),
  id: z.string().nullish(),
  state: callStateSchema.nullish(),
  direction: graphEnum(['incoming', 'outgoing']).nullish(),
  callbackUri: z.string().nullish(),
  callChainId: z.string().nullish(),
  tenantId: z.string().nullish(),
  myParticipantId: z.string().nullish(),
  subject: z.string().nullish(),
  source: participantInfoSchema.nullish(),
  targets: z.array(invitationParticipantInfoSchema).nullish(),
  requestedModalities: z.array(modalitySchema).nullish(),
  activeModalities: z.array(modalitySchema).nullish(),
  mediaState: callMediaStateSchema.nullish(),
  mediaConfig: mediaConfigSchema.nullish(),
  chatInfo: chatInfoSchema.nullish(),
  meetingInfo: meetingInfoSchema.nullish(),
  callOptions: callOptionsSchema.nullish(),
  incomingContext: incomingContextSchema.nullish(),
  toneInfo: toneInfoSchema.nullish(),
  resultInfo: resultInfoSchema.nullish(),
  terminationReason: z.string().nullish(),
  applicationMetadata: z.record(z.string(), z.unknown()).nullish(),
});
export type Call = z.infer<typeof callSchema>;
