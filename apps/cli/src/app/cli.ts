import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { defaultAuthorityHost } from '@switchboard/graph-client';
import { complianceSetupScript } from './compliance-setup';
import { adminConsentUrl, consentText } from './consent';
import { formatReport, runDoctor } from './doctor/doctor';
import { botAppId, requireVar } from './env';
import { explainText } from './explain';
import { featureHelp, features, parseFeatures, type Feature } from './features';
import { validateFlowFile } from './flow-validate';
import { EXIT_OK, EXIT_PROBLEM, EXIT_USAGE, UsageError, type CliIo } from './io';
import { buildManifest, validateManifest } from './manifest';
import { formatPermissions, requiredPermissions } from './permissions';

export const USAGE = `switchboard <command> [options]

Commands:
  manifest            the Teams app manifest of the bot (calling on; video with the video feature), checked against
                      the manifest schema             [--out file] [--name] [--developer-name] [--website-url] …
  permissions         the Graph application permissions the enabled features need, and why   [--json]
  consent-url         the admin consent URL of the tenant                   [--tenant id] [--redirect-uri url]
  compliance-setup    the PowerShell a Teams admin runs for policy-based recording
                      --resource-account upn (--users upn,… | --groups id,…) [--policy name] [--required] [--out file]
  doctor              checks the app token's roles, the callback URL and its OpenID configuration, NATS and
                      JetStream, storage and the media pods' heartbeats; exit code 1 when something is wrong
                      [--timeout-ms n] [--expect-media-pods n] [--json]
  explain <code> [subcode]   what a resultInfo code/subcode means and what to do
  flow validate <file…>      checks flow files offline (file:line:column for each problem)

Every command takes --features ${features.join(',')}
(default: SWITCHBOARD_FEATURES, else calling):
${features.map((f) => `  ${f.padEnd(22)}${featureHelp[f]}`).join('\n')}

Configuration comes from the variables the services read: BOT_APP_ID, BOT_TENANT_ID, BOT_CLIENT_SECRET (or
BOT_CERTIFICATE_PATH + BOT_CERTIFICATE_THUMBPRINT), AUTHORITY_HOST, GRAPH_BASE_URL, PUBLIC_CALLBACK_URL,
CALLBACK_OIDC_URL, NATS_URL, NATS_NAMESPACE, BLOB_CONNECTION_STRING; NODE_EXTRA_CA_CERTS adds trusted CAs.
`;

const common = { features: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;

function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args, options: { ...common, ...options }, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function featuresOf(flag: string | undefined, io: CliIo): Set<Feature> {
  return flag !== undefined ? parseFeatures(flag, '--features') : parseFeatures(io.env['SWITCHBOARD_FEATURES'], 'SWITCHBOARD_FEATURES');
}

function positiveInt(raw: string | undefined, what: string, fallback?: number): number | undefined {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) <= 0) throw new UsageError(`${what} must be a positive integer, got "${raw}"`);
  return Number(raw);
}

function list(raw: string | undefined): string[] {
  return (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

function writeOrPrint(io: CliIo, out: string | undefined, text: string, what: string): void {
  if (!out) return io.out(text);
  const path = resolve(io.cwd, out);
  writeFileSync(path, text);
  io.err(`${what} written to ${path}\n`);
}

type Command = (args: string[], io: CliIo) => Promise<number>;

const commands: Record<string, Command> = {
  async manifest(args, io) {
    const { values } = parse(args, {
      out: { type: 'string' },
      'app-id': { type: 'string' },
      'app-version': { type: 'string' },
      name: { type: 'string' },
      'full-name': { type: 'string' },
      description: { type: 'string' },
      'full-description': { type: 'string' },
      'developer-name': { type: 'string' },
      'website-url': { type: 'string' },
      'privacy-url': { type: 'string' },
      'terms-url': { type: 'string' },
      'accent-color': { type: 'string' },
    });
    const website = values['website-url'] ?? 'https://github.com/switchboard';
    const callback = io.env['PUBLIC_CALLBACK_URL'];
    let callbackHost: string | undefined;
    try {
      callbackHost = callback ? new URL(callback).hostname : undefined;
    } catch {
      throw new UsageError(`PUBLIC_CALLBACK_URL is not a URL: ${callback}`);
    }
    const manifest = buildManifest({
      botAppId: botAppId(io.env),
      features: featuresOf(values.features, io),
      appId: values['app-id'],
      version: values['app-version'] ?? '1.0.0',
      shortName: values.name ?? 'Switchboard',
      fullName: values['full-name'],
      shortDescription: values.description ?? 'Calls and meetings bot',
      fullDescription: values['full-description'] ?? values.description ?? 'A calling and online-meeting bot built on Switchboard.',
      developerName: values['developer-name'] ?? 'Switchboard',
      websiteUrl: website,
      privacyUrl: values['privacy-url'] ?? website,
      termsOfUseUrl: values['terms-url'] ?? website,
      accentColor: values['accent-color'] ?? '#4464EE',
      callbackHost,
    });
    const errors = await validateManifest(manifest);
    if (errors.length) {
      io.err(`The manifest does not match the Teams manifest schema:\n${errors.map((e) => `  ${e}`).join('\n')}\n`);
      return EXIT_PROBLEM;
    }
    writeOrPrint(io, values.out, `${JSON.stringify(manifest, null, 2)}\n`, 'manifest');
    io.err('Valid against the Teams manifest schema. Zip it with color.png (192x192) and outline.png (32x32) and upload the package in the Teams admin center.\n');
    return EXIT_OK;
  },

  async permissions(args, io) {
    const { values } = parse(args, { json: { type: 'boolean' } });
    const required = requiredPermissions(featuresOf(values.features, io));
    io.out(values.json ? `${JSON.stringify(required.map(({ permission, reasons }) => ({ permission, reasons })), null, 2)}\n` : `${formatPermissions(required)}\n`);
    return EXIT_OK;
  },

  async 'consent-url'(args, io) {
    const { values } = parse(args, { tenant: { type: 'string' }, 'redirect-uri': { type: 'string' } });
    const tenant = values.tenant ?? requireVar(io.env, 'BOT_TENANT_ID', 'the tenant that grants consent (or pass --tenant)');
    const authority = io.env['AUTHORITY_HOST']?.trim() || defaultAuthorityHost;
    const url = adminConsentUrl(authority, tenant, botAppId(io.env), values['redirect-uri']);
    io.out(`${consentText(url, requiredPermissions(featuresOf(values.features, io)))}\n`);
    return EXIT_OK;
  },

  async 'compliance-setup'(args, io) {
    const { values } = parse(args, {
      'resource-account': { type: 'string' },
      'display-name': { type: 'string' },
      policy: { type: 'string' },
      users: { type: 'string' },
      groups: { type: 'string' },
      required: { type: 'boolean' },
      'concurrent-invitations': { type: 'string' },
      out: { type: 'string' },
    });
    const invitations = positiveInt(values['concurrent-invitations'], '--concurrent-invitations', 1);
    if (invitations !== 1 && invitations !== 2) throw new UsageError('--concurrent-invitations must be 1 or 2');
    if (!values['resource-account']) throw new UsageError("--resource-account is required: the user principal name of the recorder's resource account");
    const script = complianceSetupScript({
      botAppId: botAppId(io.env),
      resourceAccount: values['resource-account'],
      displayName: values['display-name'] ?? 'Switchboard Recorder',
      policyName: values.policy ?? 'SwitchboardComplianceRecording',
      users: list(values.users),
      groups: list(values.groups),
      required: values.required ?? false,
      concurrentInvitationCount: invitations,
    });
    writeOrPrint(io, values.out, script, 'PowerShell');
    return EXIT_OK;
  },

  async doctor(args, io) {
    const { values } = parse(args, { 'timeout-ms': { type: 'string' }, 'expect-media-pods': { type: 'string' }, json: { type: 'boolean' } });
    const report = await runDoctor({
      env: io.env,
      features: featuresOf(values.features, io),
      timeoutMs: positiveInt(values['timeout-ms'], '--timeout-ms') ?? 5000,
      expectedMediaPods: positiveInt(values['expect-media-pods'], '--expect-media-pods'),
    });
    io.out(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
    return report.problems > 0 ? EXIT_PROBLEM : EXIT_OK;
  },

  async explain(args, io) {
    const { positionals } = parse(args, {}, true);
    io.out(`${explainText(positionals)}\n`);
    return EXIT_OK;
  },

  async flow(args, io) {
    const { positionals } = parse(args, {}, true);
    const [sub, ...files] = positionals;
    if (sub !== 'validate' || files.length === 0) throw new UsageError('usage: switchboard flow validate <file…>');
    let ok = true;
    for (const file of files) {
      const result = validateFlowFile(file, io.cwd);
      ok &&= result.ok;
      (result.ok ? io.out : io.err)(`${result.lines.join('\n')}\n`);
    }
    return ok ? EXIT_OK : EXIT_PROBLEM;
  },
};

/** Runs one command line; resolves with the exit code. Never calls process.exit, so tests run it in-process. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.out(USAGE);
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const command = commands[name];
  if (!command) {
    io.err(`switchboard: unknown command "${name}"\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.out(USAGE);
    return EXIT_OK;
  }
  try {
    return await command(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`switchboard ${name}: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}
