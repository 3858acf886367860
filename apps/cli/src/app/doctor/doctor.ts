import { natsNames, type NatsNames } from '@switchboard/nats-contracts';
import type { Feature } from '../features';
import { requiredPermissions } from '../permissions';
import { checkApiIssuer, checkCallbackOidc, checkCallbackUrl } from './callback-checks';
import { errorText, fail, formatFinding, skip, type Finding } from './finding';
import { checkAppToken, graphSettings } from './graph-checks';
import { checkMediaPods, checkNats } from './nats-checks';
import { checkStorage } from './storage-check';
import { httpsAgent, trustedCas } from './tls';

export interface DoctorOptions {
  env: NodeJS.ProcessEnv;
  features: ReadonlySet<Feature>;
  timeoutMs: number;
  expectedMediaPods?: number;
}

export interface DoctorReport {
  findings: Finding[];
  problems: number;
}

/** Runs every check against the configuration the services read; never throws, every failure is a finding. */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const { env, features, timeoutMs } = options;
  const findings: Finding[] = [];
  let ca: string;
  try {
    ca = trustedCas(env);
  } catch (error) {
    findings.push(fail('trusted CAs', `NODE_EXTRA_CA_CERTS cannot be read: ${errorText(error)}`, 'point NODE_EXTRA_CA_CERTS at a PEM file, or unset it'));
    return summarize(findings);
  }
  const agent = httpsAgent(ca);
  try {
    const required = requiredPermissions(features);
    const identity = graphSettings(env);
    findings.push(identity.finding);
    if (identity.settings) findings.push(...(await checkAppToken(identity.settings, required, ca, timeoutMs)));
    else findings.push(skip('app token', 'the bot identity is incomplete'));

    findings.push(await checkCallbackUrl(env['PUBLIC_CALLBACK_URL'], agent, timeoutMs));
    findings.push(await checkCallbackOidc(env['CALLBACK_OIDC_URL'], agent, timeoutMs));
    findings.push(await checkApiIssuer(env['API_AUTH_OIDC_URL']?.trim() || undefined, agent, timeoutMs));

    let names: NatsNames | undefined;
    try {
      names = natsNames(env['NATS_NAMESPACE']?.trim() ?? '');
    } catch (error) {
      findings.push(fail('NATS', errorText(error), 'set NATS_NAMESPACE to the value the services use'));
    }
    if (names) {
      const url = env['NATS_URL']?.trim() || 'nats://127.0.0.1:4222';
      const nats = await checkNats({ url, user: env['NATS_USER'], pass: env['NATS_PASSWORD'] }, names, timeoutMs);
      findings.push(...nats.findings);
      if (nats.nc) {
        try {
          const media = { required: features.has('app-hosted-media'), expectedPods: options.expectedMediaPods };
          findings.push(...(await checkMediaPods(nats.nc, names, media)));
        } catch (error) {
          findings.push(fail('media pods', `cannot read ${names.mediaPodsBucket}: ${errorText(error)}`, 'check the NATS user may read the media pods bucket'));
        } finally {
          await nats.nc.close();
        }
      } else {
        findings.push(skip('media pods', 'NATS is not reachable'));
      }
    }
    findings.push(await checkStorage(env['BLOB_CONNECTION_STRING']?.trim() || undefined, features.has('compliance-recording'), timeoutMs));
  } finally {
    await agent.close();
  }
  return summarize(findings);
}

function summarize(findings: Finding[]): DoctorReport {
  return { findings, problems: findings.filter((f) => f.status === 'fail').length };
}

export function formatReport(report: DoctorReport): string {
  const lines = report.findings.map(formatFinding);
  const warnings = report.findings.filter((f) => f.status === 'warn').length;
  const summary =
    report.problems === 0
      ? `No problems found${warnings ? ` (${warnings} warning${warnings === 1 ? '' : 's'})` : ''}.`
      : `${report.problems} problem${report.problems === 1 ? '' : 's'} found${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}.`;
  return `${lines.join('\n')}\n\n${summary}\n`;
}
