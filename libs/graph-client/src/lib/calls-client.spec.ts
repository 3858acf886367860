import type { CommsOperation } from '@switchboard/graph-models';
import { useGraphTestBed } from '../../test/graph-test-client';
import type { FakeReply } from '../../test/fake-graph-server';
import { GraphError, GraphRequestError } from './errors';
import type { CallsClient } from './calls-client';

const callbackUri = 'https://bot.example.test/api/calling';
const mediaConfig = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' as const };
const prompt = { '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { uri: 'https://cdn.example.test/menu.wav', resourceId: 'menu' } };
const user = { identity: { user: { id: 'user-2', tenantId: 't' } } };
const opReply = (type: string, status = 'running'): FakeReply => ({
  status: 200,
  body: { '@odata.type': `#microsoft.graph.${type}`, id: `op-${type}`, status, clientContext: 'ctx' },
});

interface ActionCase {
  name: string;
  run: (calls: CallsClient) => Promise<unknown>;
  method: string;
  path: string;
  body?: unknown;
  reply: FakeReply;
  /** The operation kind returned, for actions that return one. */
  kind?: CommsOperation['kind'];
}

const cases: ActionCase[] = [
  {
    name: 'createCall',
    run: (c) => c.createCall({ callbackUri, requestedModalities: ['audio'], mediaConfig, targets: [user] }),
    method: 'POST',
    path: '/communications/calls',
    body: { callbackUri, requestedModalities: ['audio'], mediaConfig, targets: [user] },
    reply: { status: 201, body: { id: 'new-call', state: 'establishing', myParticipantId: 'p-bot' }, headers: { location: '/communications/calls/new-call' } },
  },
  { name: 'getCall', run: (c) => c.getCall('c1'), method: 'GET', path: '/communications/calls/c1', reply: { status: 200, body: { id: 'c1', state: 'established' } } },
  { name: 'hangUp', run: (c) => c.hangUp('c1'), method: 'DELETE', path: '/communications/calls/c1', reply: { status: 204 } },
  { name: 'keepAlive', run: (c) => c.keepAlive('c1'), method: 'POST', path: '/communications/calls/c1/keepAlive', reply: { status: 200 } },
  {
    name: 'answer',
    run: (c) => c.answer('c1', { callbackUri, acceptedModalities: ['audio'], mediaConfig }),
    method: 'POST',
    path: '/communications/calls/c1/answer',
    body: { callbackUri, acceptedModalities: ['audio'], mediaConfig },
    reply: { status: 202 },
  },
  { name: 'reject', run: (c) => c.reject('c1', { reason: 'busy' }), method: 'POST', path: '/communications/calls/c1/reject', body: { reason: 'busy' }, reply: { status: 202 } },
  {
    name: 'redirect',
    run: (c) => c.redirect('c1', { targets: [user], timeout: 30 }),
    method: 'POST',
    path: '/communications/calls/c1/redirect',
    body: { targets: [user], timeout: 30 },
    reply: { status: 202 },
  },
  {
    name: 'transfer',
    run: (c) => c.transfer('c1', { transferTarget: user, clientContext: 'ctx' }),
    method: 'POST',
    path: '/communications/calls/c1/transfer',
    body: { transferTarget: user, clientContext: 'ctx' },
    reply: { status: 202 },
  },
  {
    name: 'playPrompt',
    run: (c) => c.playPrompt('c1', { prompts: [prompt], clientContext: 'ctx' }),
    method: 'POST',
    path: '/communications/calls/c1/playPrompt',
    body: { prompts: [prompt], clientContext: 'ctx' },
    reply: opReply('playPromptOperation'),
    kind: 'playPromptOperation',
  },
  {
    name: 'recordResponse',
    run: (c) => c.recordResponse('c1', { maxRecordDurationInSeconds: 10, stopTones: ['#'] }),
    method: 'POST',
    path: '/communications/calls/c1/recordResponse',
    body: { maxRecordDurationInSeconds: 10, stopTones: ['#'] },
    reply: opReply('recordOperation'),
    kind: 'recordOperation',
  },
  {
    name: 'cancelMediaProcessing',
    run: (c) => c.cancelMediaProcessing('c1'),
    method: 'POST',
    path: '/communications/calls/c1/cancelMediaProcessing',
    body: {},
    reply: opReply('cancelMediaProcessingOperation', 'completed'),
    kind: 'cancelMediaProcessingOperation',
  },
  {
    name: 'subscribeToTone',
    run: (c) => c.subscribeToTone('c1', { clientContext: 'ctx' }),
    method: 'POST',
    path: '/communications/calls/c1/subscribeToTone',
    body: { clientContext: 'ctx' },
    reply: opReply('subscribeToToneOperation', 'completed'),
    kind: 'subscribeToToneOperation',
  },
  {
    name: 'sendDtmfTones',
    run: (c) => c.sendDtmfTones('c1', { tones: ['tone1', 'pound'], delayBetweenTonesMs: 300 }),
    method: 'POST',
    path: '/communications/calls/c1/sendDtmfTones',
    body: { tones: ['tone1', 'pound'], delayBetweenTonesMs: 300 },
    reply: opReply('sendDtmfTonesOperation'),
    kind: 'sendDtmfTonesOperation',
  },
  { name: 'mute', run: (c) => c.mute('c1'), method: 'POST', path: '/communications/calls/c1/mute', body: {}, reply: opReply('muteParticipantOperation', 'completed'), kind: 'muteParticipantOperation' },
  {
    name: 'unmute',
    run: (c) => c.unmute('c1'),
    method: 'POST',
    path: '/communications/calls/c1/unmute',
    body: {},
    reply: opReply('unmuteParticipantOperation', 'completed'),
    kind: 'unmuteParticipantOperation',
  },
  {
    name: 'updateRecordingStatus',
    run: (c) => c.updateRecordingStatus('c1', { status: 'recording', clientContext: 'ctx' }),
    method: 'POST',
    path: '/communications/calls/c1/updateRecordingStatus',
    body: { status: 'recording', clientContext: 'ctx' },
    reply: opReply('updateRecordingStatusOperation', 'completed'),
    kind: 'updateRecordingStatusOperation',
  },
  {
    name: 'changeScreenSharingRole',
    run: (c) => c.changeScreenSharingRole('c1', { role: 'sharer' }),
    method: 'POST',
    path: '/communications/calls/c1/changeScreenSharingRole',
    body: { role: 'sharer' },
    reply: { status: 202 },
  },
  {
    name: 'listParticipants',
    run: (c) => c.listParticipants('c1'),
    method: 'GET',
    path: '/communications/calls/c1/participants',
    reply: { status: 200, body: { value: [{ id: 'p1', isMuted: false }, { id: 'p2', isInLobby: true }] } },
  },
  {
    name: 'inviteParticipants',
    run: (c) => c.inviteParticipants('c1', { participants: [user] }),
    method: 'POST',
    path: '/communications/calls/c1/participants/invite',
    body: { participants: [user] },
    reply: opReply('inviteParticipantsOperation'),
    kind: 'inviteParticipantsOperation',
  },
  {
    name: 'muteParticipant',
    run: (c) => c.muteParticipant('c1', 'p2'),
    method: 'POST',
    path: '/communications/calls/c1/participants/p2/mute',
    body: {},
    reply: opReply('muteParticipantOperation', 'completed'),
    kind: 'muteParticipantOperation',
  },
  { name: 'removeParticipant', run: (c) => c.removeParticipant('c1', 'p2'), method: 'DELETE', path: '/communications/calls/c1/participants/p2', reply: { status: 204 } },
  {
    name: 'startHoldMusic',
    run: (c) => c.startHoldMusic('c1', 'p2', { customPrompt: prompt }),
    method: 'POST',
    path: '/communications/calls/c1/participants/p2/startHoldMusic',
    body: { customPrompt: prompt },
    reply: { status: 202, body: { '@odata.type': '#microsoft.graph.startHoldMusicOperation', id: 'op-h', status: 'running' } },
    kind: 'startHoldMusicOperation',
  },
  {
    name: 'stopHoldMusic',
    run: (c) => c.stopHoldMusic('c1', 'p2'),
    method: 'POST',
    path: '/communications/calls/c1/participants/p2/stopHoldMusic',
    body: {},
    reply: { status: 202, body: { '@odata.type': '#microsoft.graph.stopHoldMusicOperation', id: 'op-s', status: 'running' } },
    kind: 'stopHoldMusicOperation',
  },
];

describe('CallsClient', () => {
  const bed = useGraphTestBed();

  it.each(cases)('$name: $method $path', async ({ run, method, path, body, reply, kind }) => {
    bed().server.graph = () => reply;
    const result = await run(bed().client().calls);

    const [req] = bed().server.graphRequests();
    expect(bed().server.graphRequests()).toHaveLength(1);
    expect(`${req.method} ${req.url}`).toBe(`${method} /v1.0${path}`);
    if (body === undefined) {
      expect(req.body).toBe('');
      // Graph answers 411 to a POST without a length.
      if (method === 'POST') expect(req.headers['content-length']).toBe('0');
    } else {
      expect(req.headers['content-type']).toBe('application/json');
      expect(JSON.parse(req.body)).toEqual(body);
    }
    if (kind) expect(result).toMatchObject({ kind, status: (reply as { body: { status: string } }).body.status });
    else if (reply !== 'reset' && reply.status === 204) expect(result).toBeUndefined();
  });

  it('returns the created call and the parsed participants', async () => {
    const create = cases.find((c) => c.name === 'createCall')!;
    bed().server.graph = () => create.reply;
    await expect(create.run(bed().client().calls)).resolves.toMatchObject({ id: 'new-call', state: 'establishing', myParticipantId: 'p-bot' });

    const list = cases.find((c) => c.name === 'listParticipants')!;
    bed().server.graph = () => list.reply;
    const participants = await bed().client().calls.listParticipants('c1');
    expect(participants.map((p) => p.id)).toEqual(['p1', 'p2']);
  });

  it('follows @odata.nextLink across participant pages, and only below the Graph base URL', async () => {
    const participant = (id: string) => ({ '@odata.type': '#microsoft.graph.participant', id });
    const base = bed().server.graphBaseUrl;
    bed().server.graph = (req) =>
      req.url.includes('skiptoken=2')
        ? { status: 200, body: { value: [participant('p3')] } }
        : { status: 200, body: { value: [participant('p1'), participant('p2')], '@odata.nextLink': `${base}/communications/calls/c1/participants?$skiptoken=2` } };
    expect((await bed().client().calls.listParticipants('c1')).map((p) => p.id)).toEqual(['p1', 'p2', 'p3']);
    expect(bed().server.graphRequests().map((r) => r.url)).toEqual([
      '/v1.0/communications/calls/c1/participants',
      '/v1.0/communications/calls/c1/participants?$skiptoken=2',
    ]);

    bed().server.graph = () => ({ status: 200, body: { value: [participant('p1')], '@odata.nextLink': 'https://elsewhere.example/steal?token' } });
    await expect(bed().client().calls.listParticipants('c1')).rejects.toThrow(/does not point below/);
  });

  it('URL-encodes ids into their path segments', async () => {
    bed().server.graph = () => ({ status: 204 });
    await bed().client().calls.removeParticipant('a/b c?d', 'p#1');
    expect(bed().server.graphRequests()[0].url).toBe('/v1.0/communications/calls/a%2Fb%20c%3Fd/participants/p%231');
  });

  it('an operation that failed at once is returned with its result, not thrown', async () => {
    bed().server.graph = () => ({
      status: 200,
      body: { '@odata.type': '#microsoft.graph.playPromptOperation', id: 'op', status: 'failed', resultInfo: { code: 400, subcode: 8508, message: 'bad prompt' } },
    });
    await expect(bed().client().calls.playPrompt('c1', { prompts: [prompt] })).resolves.toMatchObject({
      status: 'failed',
      resultInfo: { code: 400, subcode: 8508 },
    });
  });

  it('a keepAlive on an ended call surfaces Graph 404', async () => {
    bed().server.graph = () => ({ status: 404, body: { error: { code: 'itemNotFound', message: 'Call not found' } } });
    await expect(bed().client().calls.keepAlive('ended')).rejects.toThrow(GraphError);
  });

  const invalid: [string, (c: CallsClient) => Promise<unknown>, string][] = [
    ['answer without modalities', (c) => c.answer('c1', { callbackUri, acceptedModalities: [], mediaConfig }), 'acceptedModalities'],
    ['answer with a relative callbackUri', (c) => c.answer('c1', { callbackUri: '/api/calling', acceptedModalities: ['audio'], mediaConfig }), 'callbackUri'],
    ['createCall with neither targets nor meetingInfo', (c) => c.createCall({ callbackUri, requestedModalities: ['audio'], mediaConfig }), 'targets'],
    ['redirect with a 10 s timeout', (c) => c.redirect('c1', { targets: [user], timeout: 10 }), 'timeout'],
    ['playPrompt with 21 prompts', (c) => c.playPrompt('c1', { prompts: Array.from({ length: 21 }, () => prompt) }), 'prompts'],
    ['recordResponse with a multi-key stop tone', (c) => c.recordResponse('c1', { stopTones: ['12'] }), 'stopTones.0'],
    ['updateRecordingStatus to unknown', (c) => c.updateRecordingStatus('c1', { status: 'unknown' as 'recording' }), 'status'],
    ['a clientContext over 256 characters', (c) => c.subscribeToTone('c1', { clientContext: 'x'.repeat(257) }), 'clientContext'],
    ['inviting six participants', (c) => c.inviteParticipants('c1', { participants: Array.from({ length: 6 }, () => user) }), 'participants'],
    ['a screen sharing role that does not exist', (c) => c.changeScreenSharingRole('c1', { role: 'owner' as 'viewer' }), 'role'],
  ];

  it.each(invalid)('refuses %s naming the field, and sends nothing', async (_name, run, field) => {
    const error = await run(bed().client().calls).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphRequestError);
    expect((error as GraphRequestError).field).toBe(field);
    expect((error as GraphRequestError).message).toContain(field);
    expect(bed().server.requests).toEqual([]);
  });
});
