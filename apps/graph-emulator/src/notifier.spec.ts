import pino from 'pino';
import { BotReceiver } from '../test/harness';
import { CallbackSigner } from './callback-signer';
import { KeyRing } from './key-ring';
import { Notifier, type OutboundNotification } from './notifier';

describe('Notifier', () => {
  let bot: BotReceiver;
  let notifier: Notifier;

  beforeEach(async () => {
    bot = await new BotReceiver().start();
    const signer = new CallbackSigner('https://localhost:1', 'bot-app', await KeyRing.create());
    notifier = new Notifier(signer, pino({ level: 'silent' }), { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 1_000 });
  });
  afterEach(async () => {
    notifier.stop();
    await bot.stop();
  });

  const note = (callId: string, n: number, target = bot.url): OutboundNotification => ({
    callId,
    tenantId: 'tenant',
    target,
    changeType: 'updated',
    resourceUrl: `/communications/calls/${callId}`,
    body: { '@odata.type': '#microsoft.graph.commsNotifications', value: [{ changeType: 'updated', resourceUrl: `/communications/calls/${callId}`, resourceData: { n } }] },
  });
  const numbers = () => bot.posts.map((p) => (p.body.value[0]!.resourceData as unknown as { n: number }).n);

  it('retries a 5xx and keeps later notifications of the call behind it', async () => {
    bot.statuses = [503, 500];
    notifier.send(note('c1', 1));
    notifier.send(note('c1', 2));
    await notifier.idle();
    expect(numbers()).toEqual([1, 2]);
    expect(bot.attempts).toBe(4);
    const log = notifier.log.since(0).items;
    expect(log.map((e) => [e.status, e.attempts])).toEqual([
      ['delivered', 3],
      ['delivered', 1],
    ]);
  });

  it('drops a notification the bot refuses with 4xx and goes on with the next', async () => {
    bot.statuses = [400];
    notifier.send(note('c2', 1));
    notifier.send(note('c2', 2));
    await notifier.idle();
    expect(numbers()).toEqual([2]);
    expect(notifier.log.since(0).items.map((e) => [e.status, e.httpStatus])).toEqual([
      ['dropped', 400],
      ['delivered', 202],
    ]);
  });

  it('gives up after the last attempt when the bot is unreachable, recording the error', async () => {
    notifier.send(note('c3', 1, 'http://127.0.0.1:1/api/calling'));
    await notifier.idle();
    const [entry] = notifier.log.since(0).items;
    expect(entry).toMatchObject({ status: 'failed', attempts: 3 });
    expect(entry!.error).toBeTruthy();
  });

  it('reads the log incrementally with since/next', async () => {
    notifier.send(note('c4', 1));
    await notifier.idle();
    const first = notifier.log.since(0);
    notifier.send(note('c4', 2));
    await notifier.idle();
    const second = notifier.log.since(first.next);
    expect(second.items).toHaveLength(1);
    expect(second.next).toBe(first.next + 1);
  });
});
