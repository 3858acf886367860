import { BOT_APP_ID, runCli } from '../../test/run-cli';
import { complianceSetupScript, psQuote } from './compliance-setup';

const base = {
  botAppId: BOT_APP_ID,
  resourceAccount: 'recorder@contoso.example',
  displayName: 'Switchboard Recorder',
  policyName: 'SwitchboardComplianceRecording',
  users: ['ada@contoso.example'],
  groups: [],
  required: false,
  concurrentInvitationCount: 1 as const,
};

describe('compliance-setup', () => {
  it('creates the application instance, the policy naming it, and assigns it, in that order', () => {
    const script = complianceSetupScript({ ...base, users: ['ada@contoso.example', '0f0e0d0c-0b0a-4908-8706-050403020100'], groups: ['11111111-2222-4333-8444-555555555555'] });
    const order = [
      'Connect-MicrosoftTeams',
      `$appId = '${BOT_APP_ID}'`,
      "$account = 'recorder@contoso.example'",
      "New-CsOnlineApplicationInstance -UserPrincipalName $account -ApplicationId $appId -DisplayName 'Switchboard Recorder'",
      'Sync-CsOnlineApplicationInstance -ObjectId $instance.ObjectId -ApplicationId $appId',
      "New-CsTeamsComplianceRecordingPolicy -Identity 'SwitchboardComplianceRecording' -Enabled $true",
      "$recorder = New-CsTeamsComplianceRecordingApplication -Parent 'SwitchboardComplianceRecording' -Id $instance.ObjectId",
      '-RequiredBeforeMeetingJoin $false -RequiredBeforeCallEstablishment $false',
      '-ConcurrentInvitationCount 1',
      "Set-CsTeamsComplianceRecordingPolicy -Identity 'SwitchboardComplianceRecording' -ComplianceRecordingApplications @($recorder)",
      "Grant-CsTeamsComplianceRecordingPolicy -Identity 'ada@contoso.example' -PolicyName 'SwitchboardComplianceRecording'",
      "Grant-CsTeamsComplianceRecordingPolicy -Identity '0f0e0d0c-0b0a-4908-8706-050403020100'",
      "New-CsGroupPolicyAssignment -GroupId '11111111-2222-4333-8444-555555555555' -PolicyType TeamsComplianceRecordingPolicy -PolicyName 'SwitchboardComplianceRecording' -Rank 1",
    ];
    let at = 0;
    for (const part of order) {
      const found = script.indexOf(part, at);
      expect({ part, found: found >= 0 }).toEqual({ part, found: true });
      at = found + part.length;
    }
  });

  it('makes recording a precondition of calls and meetings with --required', () => {
    const script = complianceSetupScript({ ...base, required: true, concurrentInvitationCount: 2 });
    expect(script).toContain('-RequiredBeforeMeetingJoin $true -RequiredBeforeCallEstablishment $true');
    expect(script).toContain('-RequiredDuringMeeting $true -RequiredDuringCall $true');
    expect(script).toContain('-ConcurrentInvitationCount 2');
  });

  it('quotes values so they stay one PowerShell string', () => {
    expect(psQuote("O'Brien's bot", 'x')).toBe("'O''Brien''s bot'");
    expect(psQuote('Zoë’s recorder', 'x')).toBe("'Zoë’’s recorder'");
    expect(() => psQuote('a\nRemove-Item C:\\', '--display-name')).toThrow(/--display-name must not contain control characters/);
    const script = complianceSetupScript({ ...base, displayName: "Contoso's recorder" });
    expect(script).toContain("-DisplayName 'Contoso''s recorder'");
  });

  it('refuses what cannot be a resource account, a user, a group or a policy name', () => {
    expect(() => complianceSetupScript({ ...base, resourceAccount: 'recorder' })).toThrow(/--resource-account must be the user principal name/);
    expect(() => complianceSetupScript({ ...base, users: ['ada'] })).toThrow(/--users: "ada"/);
    expect(() => complianceSetupScript({ ...base, groups: ['sales'] })).toThrow(/--groups: "sales"/);
    expect(() => complianceSetupScript({ ...base, policyName: "x'; Remove-Item" })).toThrow(/--policy must be/);
    expect(() => complianceSetupScript({ ...base, users: [] })).toThrow(/name who is recorded/);
  });

  it('prints the script from configuration and flags', async () => {
    const { code, out } = await runCli(['compliance-setup', '--resource-account', 'recorder@contoso.example', '--users', 'ada@contoso.example,grace@contoso.example', '--policy', 'Legal hold'], { BOT_APP_ID });
    expect(code).toBe(0);
    expect(out).toContain(`$appId = '${BOT_APP_ID}'`);
    expect(out).toContain("Grant-CsTeamsComplianceRecordingPolicy -Identity 'grace@contoso.example' -PolicyName 'Legal hold'");
    const missing = await runCli(['compliance-setup', '--users', 'ada@contoso.example'], { BOT_APP_ID });
    expect(missing).toMatchObject({ code: 2, err: expect.stringMatching(/--resource-account is required/) });
    const twice = await runCli(['compliance-setup', '--resource-account', 'r@contoso.example', '--users', 'ada@contoso.example', '--concurrent-invitations', '3'], { BOT_APP_ID });
    expect(twice).toMatchObject({ code: 2, err: expect.stringMatching(/must be 1 or 2/) });
  });
});
