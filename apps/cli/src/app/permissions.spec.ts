import { BOT_APP_ID, runCli, TENANT_ID } from '../../test/run-cli';
import { parseFeatures } from './features';
import { missingPermissions, requiredPermissions } from './permissions';

const permissionsOf = (features: string) => requiredPermissions(parseFeatures(features, 'test')).map((p) => p.permission);

describe('permissions', () => {
  it('follows the enabled features', () => {
    expect(permissionsOf('calling')).toEqual(['Calls.Initiate.All', 'Calls.InitiateGroupCall.All']);
    expect(permissionsOf('meetings')).toEqual(['Calls.JoinGroupCall.All', 'Calls.JoinGroupCallAsGuest.All', 'OnlineMeetings.Read.All']);
    expect(permissionsOf('app-hosted-media')).toEqual(['Calls.AccessMedia.All']);
    // Compliance recording needs the recorded media and to be invited into calls (contract §6).
    expect(permissionsOf('compliance-recording')).toEqual(['Calls.JoinGroupCall.All', 'Calls.AccessMedia.All']);
  });

  it('asks for OnlineMeetings.ReadWrite.All alone when meetings are also created, and counts it for Read.All', () => {
    const required = requiredPermissions(parseFeatures('meetings,meeting-creation', 'test'));
    expect(required.map((p) => p.permission)).toContain('OnlineMeetings.ReadWrite.All');
    expect(required.map((p) => p.permission)).not.toContain('OnlineMeetings.Read.All');
    const readOnly = requiredPermissions(parseFeatures('meetings', 'test'));
    expect(missingPermissions(readOnly, ['Calls.JoinGroupCall.All', 'Calls.JoinGroupCallAsGuest.All', 'OnlineMeetings.ReadWrite.All'])).toEqual([]);
  });

  it('refuses unknown features and video without app-hosted media', () => {
    expect(() => parseFeatures('calling,fax', '--features')).toThrow(/unknown feature "fax"/);
    expect(() => parseFeatures('video', '--features')).toThrow(/app-hosted-media/);
  });

  it('prints each permission with the reason for it', async () => {
    const { code, out } = await runCli(['permissions', '--features', 'calling,meetings,app-hosted-media']);
    expect(code).toBe(0);
    expect(out).toMatch(/^Calls\.Initiate\.All +calling: place 1:1 and PSTN calls/m);
    expect(out).toMatch(/^Calls\.AccessMedia\.All +app-hosted-media: receive and send real-time audio frames/m);
    expect(out).toMatch(/^Calls\.JoinGroupCallAsGuest\.All +meetings: join meetings as a guest/m);
    const json = await runCli(['permissions', '--json'], { SWITCHBOARD_FEATURES: 'compliance-recording' });
    expect(JSON.parse(json.out)).toEqual([
      { permission: 'Calls.JoinGroupCall.All', reasons: [expect.stringMatching(/invited by the recording policy/)] },
      { permission: 'Calls.AccessMedia.All', reasons: [expect.stringMatching(/app-hosted-media/), expect.stringMatching(/recorded users' media/)] },
    ]);
  });

  it('answers a bad feature list with exit code 2 and the known features', async () => {
    const { code, err } = await runCli(['permissions', '--features', 'fax']);
    expect(code).toBe(2);
    expect(err).toMatch(/known: calling, meetings/);
  });
});

describe('consent-url', () => {
  it('prints the admin consent URL of the tenant and says consent is repeated after a change', async () => {
    const { code, out } = await runCli(['consent-url', '--features', 'calling,app-hosted-media'], { BOT_APP_ID, BOT_TENANT_ID: TENANT_ID });
    expect(code).toBe(0);
    expect(out.split('\n')[0]).toBe(`https://login.microsoftonline.com/${TENANT_ID}/adminconsent?client_id=${BOT_APP_ID}`);
    expect(out).toMatch(/Calls\.Initiate\.All, Calls\.InitiateGroupCall\.All, Calls\.AccessMedia\.All/);
    expect(out).toMatch(/Consent is repeated after a change/);
  });

  it('uses AUTHORITY_HOST (sovereign clouds) and another tenant on request', async () => {
    const { out } = await runCli(['consent-url', '--tenant', 'contoso.onmicrosoft.com', '--redirect-uri', 'https://bot.example.com/consented'], {
      BOT_APP_ID,
      AUTHORITY_HOST: 'https://login.microsoftonline.us/',
    });
    expect(out.split('\n')[0]).toBe(
      `https://login.microsoftonline.us/contoso.onmicrosoft.com/adminconsent?client_id=${BOT_APP_ID}&redirect_uri=https%3A%2F%2Fbot.example.com%2Fconsented`,
    );
  });

  it('names the missing variable', async () => {
    const { code, err } = await runCli(['consent-url'], { BOT_TENANT_ID: TENANT_ID });
    expect(code).toBe(2);
    expect(err).toMatch(/BOT_APP_ID is not set/);
    expect((await runCli(['consent-url'], { BOT_APP_ID: 'my-bot', BOT_TENANT_ID: TENANT_ID })).err).toMatch(/must be the app registration's client id/);
  });
});
