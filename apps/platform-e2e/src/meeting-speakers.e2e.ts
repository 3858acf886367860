import type { Subscription } from 'nats';
import { waitUntil } from '@switchboard/dev-infra';
import { BlobServiceClient } from '@azure/storage-blob';
import { mediaCommandReplySchemas, mediaEventSchemas, type MediaEventOf, type RecordingMetadata } from '@switchboard/nats-contracts';
import { RecordingCatalog } from '@switchboard/recording-store';
import { E2eHarness } from './support/harness';
import { MediaPod, callCommand } from './support/media-pod';
import { MeetingsClient } from './support/meetings-client';

/**
 * A bot placed in a meeting with app-hosted media hears who speaks: the emulator, as the media platform, sends each
 * talker's unmixed audio tagged with their MSI, and the pod names the speaker from the roster signaling publishes.
 */
describe('a meeting on app-hosted media: speech events name each participant, and the call records under Graph’s call id', () => {
  let h: E2eHarness;
  let pod: MediaPod;
  let speech: Subscription;
  const heard: MediaEventOf<'speech-started'>[] = [];

  beforeAll(async () => {
    h = await E2eHarness.start({ services: ['recording-compliance'], signalingEnv: { MEDIA_POD_HOST: '127.0.0.1' }, emulatorEnv: { EMULATOR_MEDIA_HOST: '127.0.0.1' } });
    pod = await MediaPod.start(h, 'media-0');
    speech = h.nc.subscribe(h.names.mediaEventTypeSubjects('speech-started'), { callback: (_e, m) => heard.push(mediaEventSchemas['speech-started'].parse(m.json())) });
  }, 120_000);

  afterAll(async () => {
    speech?.unsubscribe();
    await pod?.process.stop();
    await h?.stop();
  });

  it('three people talking in turn are each named in speech events of their own stream', async () => {
    const meetings = await MeetingsClient.start(h);
    const m = await meetings.meeting({ subject: 'Speakers' });
    for (const [id, displayName] of [['ada', 'Ada'], ['ben', 'Ben']]) await meetings.control(`/${m.id}/people`, { id, displayName });
    const placed = await callCommand(h, 'place', { meeting: { joinUrl: m.joinWebUrl }, media: 'appHosted', app: 'e2e-speakers' });
    if (!placed.ok) throw new Error(`place refused: ${placed.message}`);
    const { callId } = placed.result as { callId: string };
    const { mediaCallId } = (await h.callRecord(callId))['media'] as { mediaCallId: string };
    const roster = await h.waitForEvent(callId, 'participants-updated');
    // Everyone but the bot itself (whose own leg is in the roster too).
    const people = roster.participants.filter((p) => p.displayName !== undefined && p.displayName !== 'Switchboard Bot' && (p.sourceIds?.length ?? 0) > 0);
    expect(people.map((p) => p.displayName).sort()).toEqual(['Ada', 'Ben', 'Meeting Organizer']);

    const speakersOfCall = () => new Set(heard.filter((e) => e.callId === mediaCallId && e.stream === 'speaker').map((e) => e.speaker?.participantId));
    await waitUntil(() => people.every((p) => speakersOfCall().has(p.id)), 'speech from each of the three', 30_000, 100);
    for (const p of people) {
      const event = heard.find((e) => e.callId === mediaCallId && e.speaker?.participantId === p.id);
      expect(event?.speaker).toMatchObject({ participantId: p.id, displayName: p.displayName, msi: expect.any(Number) });
      expect(p.sourceIds).toContain(event?.speaker?.msi);
    }

    // The pod knows the call by the id it was prepared under; the grant it asks for names Graph's call.
    const recording = await h.nc.request(h.names.mediaCommandSubject(mediaCallId, 'record-call'), '{}', { timeout: 15_000 });
    expect(mediaCommandReplySchemas['record-call'].parse(recording.json())).toEqual({ ok: true, grantId: expect.any(String) });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await callCommand(h, 'hang-up', { callId });
    const catalog = new RecordingCatalog(BlobServiceClient.fromConnectionString(h.platform.blobConnectionString as string).getContainerClient('recordings'));
    let stored: RecordingMetadata[] = [];
    await waitUntil(async () => (stored = await catalog.list({ callId })).length > 0, 'the meeting recording', 20_000, 200);
    // One track per speaker the pod heard (the platform sends unmixed audio only), each filed under Graph's call.
    for (const track of stored) expect(track).toMatchObject({ callId, contentType: 'audio/wav' });
  });
});
