import { acceptJoin, inviteNewBot, participantJoiningResponseSchema, rejectJoin } from './participant-joining';

describe('participantJoiningResponse', () => {
  it('reads the three answers a bot gives, the reject reason in any casing', () => {
    expect(participantJoiningResponseSchema.parse(acceptJoin())).toEqual({ '@odata.type': '#microsoft.graph.acceptJoinResponse' });
    expect(participantJoiningResponseSchema.parse({ '@odata.type': '#microsoft.graph.rejectJoinResponse', reason: 'Busy' })).toEqual(rejectJoin('busy'));
    expect(participantJoiningResponseSchema.parse(inviteNewBot('https://bot.example.com/api/calling'))).toEqual({
      '@odata.type': '#microsoft.graph.inviteNewBotResponse',
      inviteUri: 'https://bot.example.com/api/calling',
    });
  });

  it('refuses an answer of no known type and a reason Graph does not define', () => {
    expect(participantJoiningResponseSchema.safeParse({ '@odata.type': '#microsoft.graph.acceptResponse' }).success).toBe(false);
    expect(participantJoiningResponseSchema.safeParse({ '@odata.type': '#microsoft.graph.rejectJoinResponse', reason: 'later' }).success).toBe(false);
    expect(participantJoiningResponseSchema.safeParse({}).success).toBe(false);
  });
});
