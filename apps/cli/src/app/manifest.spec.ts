import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TeamsAppManifest } from '@microsoft/teams-manifest';
import { BOT_APP_ID, runCli } from '../../test/run-cli';
import { parseFeatures } from './features';
import { buildManifest, loadManifestSchema, MANIFEST_VERSION, validateManifest } from './manifest';

const options = {
  botAppId: BOT_APP_ID,
  version: '1.0.0',
  shortName: 'Front desk',
  shortDescription: 'Answers the front desk line',
  fullDescription: 'Answers calls to the front desk and routes them.',
  developerName: 'Contoso',
  websiteUrl: 'https://contoso.example',
  privacyUrl: 'https://contoso.example/privacy',
  termsOfUseUrl: 'https://contoso.example/terms',
  accentColor: '#4464EE',
};

describe('manifest', () => {
  it('is valid against the Teams manifest schema shipped in @microsoft/app-manifest', async () => {
    const schema = loadManifestSchema();
    expect(JSON.stringify(schema)).toContain(`"const":"${MANIFEST_VERSION}"`);
    for (const features of ['calling', 'calling,app-hosted-media,video']) {
      const manifest = buildManifest({ ...options, features: parseFeatures(features, 'test'), callbackHost: 'bot.contoso.example' });
      expect(await validateManifest(manifest, schema)).toEqual([]);
    }
  });

  it('turns calling on, and video only with the video feature', () => {
    const audio = buildManifest({ ...options, features: parseFeatures('calling', 'test') });
    expect(audio.bots?.[0]).toMatchObject({ botId: BOT_APP_ID, supportsCalling: true, supportsVideo: false });
    const video = buildManifest({ ...options, features: parseFeatures('app-hosted-media,video', 'test') });
    expect(video.bots?.[0]).toMatchObject({ supportsCalling: true, supportsVideo: true });
  });

  it('reports what the schema refuses, path by path', async () => {
    const manifest = buildManifest({ ...options, features: parseFeatures('calling', 'test') });
    const broken = { ...manifest, accentColor: 'blue', bots: [{ ...manifest.bots![0], supportsCalling: 'yes' }] } as unknown as TeamsAppManifest;
    const errors = await validateManifest(broken);
    expect(errors).toEqual(expect.arrayContaining(['/accentColor must match pattern "^#[0-9a-fA-F]{6}$"', '/bots/0/supportsCalling must be boolean']));
  });

  it('prints the manifest from configuration, or writes it to a file', async () => {
    const env = { BOT_APP_ID, PUBLIC_CALLBACK_URL: 'https://bot.contoso.example/api/calling' };
    const printed = await runCli(['manifest', '--name', 'Front desk', '--features', 'app-hosted-media,video'], env);
    expect(printed.code).toBe(0);
    const manifest = JSON.parse(printed.out) as TeamsAppManifest;
    expect(manifest).toMatchObject({ manifestVersion: MANIFEST_VERSION, id: BOT_APP_ID, name: { short: 'Front desk' }, validDomains: ['bot.contoso.example'] });
    expect(manifest.bots?.[0]).toMatchObject({ supportsCalling: true, supportsVideo: true });
    expect(printed.err).toMatch(/Valid against the Teams manifest schema/);

    const dir = mkdtempSync(join(tmpdir(), 'switchboard-manifest-'));
    try {
      const written = await runCli(['manifest', '--out', 'manifest.json'], env, dir);
      expect(written.code).toBe(0);
      expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))).toMatchObject({ bots: [{ supportsVideo: false }] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 1 with the schema errors when configuration makes an invalid manifest', async () => {
    const { code, out, err } = await runCli(['manifest', '--accent-color', 'blue', '--name', 'A name far longer than thirty characters'], { BOT_APP_ID });
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(/\/accentColor must match pattern/);
    expect(err).toMatch(/\/name\/short must NOT have more than 30 characters/);
  });
});
