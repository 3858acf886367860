import { guidPattern } from './env';
import { UsageError } from './io';

export interface ComplianceSetupOptions {
  botAppId: string;
  /** UPN of the resource account (application instance) that stands for the recorder. */
  resourceAccount: string;
  displayName: string;
  policyName: string;
  /** Users (UPN or object id) the policy is granted to. */
  users: string[];
  /** Entra group ids the policy is assigned to (group policy assignment, rank 1). */
  groups: string[];
  /** Calls and meetings of recorded users fail when the recorder cannot join (strict compliance). */
  required: boolean;
  /** 1, or 2 for a second invitation that keeps the recording going if one recorder fails. */
  concurrentInvitationCount: 1 | 2;
}

const upnPattern = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/**
 * A PowerShell single-quoted string. PowerShell also takes the typographic quotes ‘ ’ ‚ ‛ as single quotes, so
 * each of them is doubled too; control characters are refused, so a value can never end a line of the script.
 */
export function psQuote(value: string, what: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new UsageError(`${what} must not contain control characters or line breaks`);
  return `'${value.replace(/['\u2018\u2019\u201a\u201b]/g, (q) => q + q)}'`;
}

function check(o: ComplianceSetupOptions): void {
  if (!upnPattern.test(o.resourceAccount)) {
    throw new UsageError(`--resource-account must be the user principal name of the recorder's resource account (e.g. recorder@contoso.com), got "${o.resourceAccount}"`);
  }
  for (const user of o.users) {
    if (!upnPattern.test(user) && !guidPattern.test(user)) throw new UsageError(`--users: "${user}" is neither a user principal name nor an object id`);
  }
  for (const group of o.groups) {
    if (!guidPattern.test(group)) throw new UsageError(`--groups: "${group}" is not a group object id (GUID)`);
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/.test(o.policyName)) {
    throw new UsageError(`--policy must be 1 to 64 letters, digits, spaces, dots, dashes or underscores, got "${o.policyName}"`);
  }
  if (o.users.length === 0 && o.groups.length === 0) {
    throw new UsageError('name who is recorded: --users upn1,upn2 and/or --groups <group object id>');
  }
}

/**
 * The PowerShell a Teams administrator runs once for policy-based recording (contract §6): the resource account
 * (application instance) bound to the bot, the compliance recording policy naming it, and the policy's assignment.
 * It can run again: existing objects are reused and the policy's application list is set, not appended to.
 */
export function complianceSetupScript(o: ComplianceSetupOptions): string {
  check(o);
  const q = psQuote;
  const bool = (b: boolean) => (b ? '$true' : '$false');
  const policy = q(o.policyName, '--policy');
  const lines = [
    `# Policy-based (compliance) recording with the bot ${o.botAppId}.`,
    '# Run as a Teams administrator in PowerShell 7 or Windows PowerShell with the MicrosoftTeams module',
    '# (Install-Module MicrosoftTeams). The app also needs Calls.AccessMedia.All and Calls.JoinGroupCall.All with',
    '# admin consent: npx switchboard permissions --features compliance-recording',
    "$ErrorActionPreference = 'Stop'",
    'Import-Module MicrosoftTeams',
    'Connect-MicrosoftTeams',
    '',
    `$appId = ${q(o.botAppId, 'BOT_APP_ID')}`,
    `$account = ${q(o.resourceAccount, '--resource-account')}`,
    '',
    '# 1. The application instance (resource account) that stands for the recorder, bound to the bot.',
    '$instance = Get-CsOnlineApplicationInstance -Identity $account -ErrorAction SilentlyContinue',
    'if (-not $instance) {',
    `  $instance = New-CsOnlineApplicationInstance -UserPrincipalName $account -ApplicationId $appId -DisplayName ${q(o.displayName, '--display-name')}`,
    '}',
    'Sync-CsOnlineApplicationInstance -ObjectId $instance.ObjectId -ApplicationId $appId',
    '',
    '# 2. The compliance recording policy that invites the recorder into the recorded users\' calls and meetings.',
    `if (-not (Get-CsTeamsComplianceRecordingPolicy -Identity ${policy} -ErrorAction SilentlyContinue)) {`,
    `  New-CsTeamsComplianceRecordingPolicy -Identity ${policy} -Enabled $true -Description 'Switchboard compliance recording'`,
    '}',
    `$recorder = New-CsTeamsComplianceRecordingApplication -Parent ${policy} -Id $instance.ObjectId \``,
    `  -RequiredBeforeMeetingJoin ${bool(o.required)} -RequiredBeforeCallEstablishment ${bool(o.required)} \``,
    `  -RequiredDuringMeeting ${bool(o.required)} -RequiredDuringCall ${bool(o.required)} \``,
    `  -ConcurrentInvitationCount ${o.concurrentInvitationCount}`,
    `Set-CsTeamsComplianceRecordingPolicy -Identity ${policy} -ComplianceRecordingApplications @($recorder)`,
    '',
    '# 3. Who is recorded.',
    ...o.users.map((u) => `Grant-CsTeamsComplianceRecordingPolicy -Identity ${q(u, '--users')} -PolicyName ${policy}`),
    ...o.groups.map(
      (g) => `New-CsGroupPolicyAssignment -GroupId ${q(g, '--groups')} -PolicyType TeamsComplianceRecordingPolicy -PolicyName ${policy} -Rank 1`,
    ),
    '',
    "Write-Host \"Done. Policy assignments are not immediate; a recorded user's next call brings the recorder in once it applies.\"",
  ];
  return lines.join('\n') + '\n';
}
