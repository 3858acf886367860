import { UsageError } from './io';

/** What a deployment does; the Graph permissions, the manifest and doctor's checks follow from it. */
export const features = ['calling', 'meetings', 'meeting-creation', 'app-hosted-media', 'compliance-recording', 'video'] as const;
export type Feature = (typeof features)[number];

export const featureHelp: Record<Feature, string> = {
  calling: 'answer incoming calls, place 1:1, PSTN and group calls, transfer, invite',
  meetings: 'join meetings by join link or meeting id, as the app or as a guest (meeting-join)',
  'meeting-creation': 'create online meetings for users (meeting-join)',
  'app-hosted-media': 'real-time audio frames on the media pods instead of service-hosted prompts',
  'compliance-recording': 'policy-based recording of users under a Teams compliance recording policy',
  video: 'real-time video frames (needs app-hosted-media)',
};

export const DEFAULT_FEATURES: readonly Feature[] = ['calling'];

/**
 * `--features a,b` or `SWITCHBOARD_FEATURES`; calling alone when neither is set. Compliance recording brings its
 * media with it (the recorder receives the recorded users' audio), and video needs app-hosted media.
 */
export function parseFeatures(raw: string | undefined, source: string): Set<Feature> {
  if (raw === undefined || raw.trim() === '') return new Set(DEFAULT_FEATURES);
  const names = raw.split(',').map((f) => f.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(features as readonly string[]).includes(n));
  if (unknown.length) {
    throw new UsageError(`${source}: unknown feature ${unknown.map((u) => `"${u}"`).join(', ')}; known: ${features.join(', ')}`);
  }
  const set = new Set(names as Feature[]);
  if (set.has('compliance-recording')) set.add('app-hosted-media');
  if (set.has('video') && !set.has('app-hosted-media')) {
    throw new UsageError(`${source}: video frames reach the bot only with app-hosted media; add app-hosted-media`);
  }
  return set;
}
