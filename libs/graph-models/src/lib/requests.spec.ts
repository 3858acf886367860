import {
  answerRequestSchema,
  createCallRequestSchema,
  inviteParticipantsRequestSchema,
  playPromptRequestSchema,
  recordResponseRequestSchema,
  redirectRequestSchema,
  sendDtmfTonesRequestSchema,
  transferRequestSchema,
  updateRecordingStatusRequestSchema,
} from './requests';

const serviceHosted = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } as const;
const prompt = { '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { uri: 'https://cdn.example.test/a.wav' } };
const user = { identity: { user: { id: 'u1' } } };
const pathsOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) => {
  expect(result.success).toBe(false);
  return result.error!.issues.map((i) => i.path.join('.'));
};

describe('action bodies', () => {
  it('accepts an answer and refuses one without mediaConfig or modalities', () => {
    const answer = { callbackUri: 'https://bot.example.test/api/calling', acceptedModalities: ['audio'], mediaConfig: serviceHosted };
    expect(answerRequestSchema.parse(answer)).toEqual(answer);
    expect(pathsOf(answerRequestSchema.safeParse({ ...answer, mediaConfig: undefined }))).toEqual(['mediaConfig']);
    expect(pathsOf(answerRequestSchema.safeParse({ ...answer, acceptedModalities: [] }))).toEqual(['acceptedModalities']);
    expect(pathsOf(answerRequestSchema.safeParse({ ...answer, callbackUri: 'not a url' }))).toEqual(['callbackUri']);
  });

  it('takes 1 to 20 prompts per playPrompt', () => {
    expect(playPromptRequestSchema.safeParse({ prompts: Array(20).fill(prompt) }).success).toBe(true);
    const tooMany = playPromptRequestSchema.safeParse({ prompts: Array(21).fill(prompt) });
    expect(tooMany.error!.issues[0].message).toBe('at most 20 prompts per playPrompt');
    expect(pathsOf(playPromptRequestSchema.safeParse({ prompts: [] }))).toEqual(['prompts']);
  });

  it('refuses a clientContext longer than 256 characters on any action', () => {
    expect(pathsOf(playPromptRequestSchema.safeParse({ prompts: [prompt], clientContext: 'x'.repeat(257) }))).toEqual([
      'clientContext',
    ]);
    expect(pathsOf(transferRequestSchema.safeParse({ transferTarget: user, clientContext: 'x'.repeat(300) }))).toEqual([
      'clientContext',
    ]);
  });

  it('bounds recordResponse: one prompt, 1–120 s, keypad stop tones', () => {
    expect(recordResponseRequestSchema.safeParse({ prompts: [prompt], maxRecordDurationInSeconds: 120, stopTones: ['#', '*', '1'] }).success).toBe(true);
    expect(pathsOf(recordResponseRequestSchema.safeParse({ prompts: [prompt, prompt] }))).toEqual(['prompts']);
    expect(pathsOf(recordResponseRequestSchema.safeParse({ maxRecordDurationInSeconds: 121 }))).toEqual(['maxRecordDurationInSeconds']);
    expect(pathsOf(recordResponseRequestSchema.safeParse({ stopTones: ['##'] }))).toEqual(['stopTones.0']);
  });

  it('bounds redirect targets (1–25) and timeout (15–90 s)', () => {
    expect(redirectRequestSchema.safeParse({ targets: [user], timeout: 15 }).success).toBe(true);
    expect(pathsOf(redirectRequestSchema.safeParse({ targets: Array(26).fill(user) }))).toEqual(['targets']);
    expect(pathsOf(redirectRequestSchema.safeParse({ targets: [user], timeout: 91 }))).toEqual(['timeout']);
  });

  it('refuses unknown tones, unknown recording statuses and more than 5 invitees', () => {
    expect(pathsOf(sendDtmfTonesRequestSchema.safeParse({ tones: ['tone1', 'hash'] }))).toEqual(['tones.1']);
    expect(pathsOf(updateRecordingStatusRequestSchema.safeParse({ status: 'unknown' }))).toEqual(['status']);
    expect(pathsOf(inviteParticipantsRequestSchema.safeParse({ participants: Array(6).fill(user) }))).toEqual(['participants']);
  });

  it('needs targets or meetingInfo to create a call', () => {
    const base = { callbackUri: 'https://bot.example.test/api/calling', requestedModalities: ['audio'], mediaConfig: serviceHosted };
    expect(createCallRequestSchema.safeParse({ ...base, targets: [user] }).success).toBe(true);
    expect(pathsOf(createCallRequestSchema.safeParse(base))).toEqual(['targets']);
    expect(pathsOf(createCallRequestSchema.safeParse({ ...base, targets: [user], mediaConfig: undefined }))).toEqual(['mediaConfig']);
  });
});
