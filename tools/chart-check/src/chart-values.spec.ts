import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { production } from './chart-matrix';
import { checkValuesDocumented, compileSchema, loadChart, mergeValues, renderValuesTable, templateChart, validateValues } from './index';
import { CHART_DIR } from './lib/paths';

const chart = loadChart(CHART_DIR);
const validate = compileSchema(chart.schema);
const check = (override: unknown) => validateValues(validate, mergeValues(chart.values, override));

const withSignaling = (signaling: unknown) => ({ signaling });
const flowFile = 'id: front-desk\nversion: 1\nstart: welcome\nsteps:\n  welcome: { play: [welcome.wav] }\n';

describe('values.yaml', () => {
  it('documents every value with ## @param (or @skip) and names no missing value', () => {
    expect(checkValuesDocumented(chart.valuesText)).toEqual({ undocumented: [], unknownParams: [] });
  });

  it('passes its own schema as shipped', () => {
    expect(check({})).toEqual({ valid: true, errors: [] });
  });

  it('has a PodDisruptionBudget on by default for every component', () => {
    for (const component of ['signaling', 'meetingJoin', 'recordingCompliance', 'media']) {
      expect(chart.values[component]).toMatchObject({ pdb: { enabled: true, maxUnavailable: 1 } });
    }
  });
});

describe('values.schema.json', () => {
  it('accepts a complete production configuration', () => {
    expect(check(production)).toEqual({ valid: true, errors: [] });
  });

  it('accepts an external NATS server with a URL', () => {
    expect(check({ nats: { mode: 'external', enabled: false, url: 'nats://nats.messaging:4222' } }).valid).toBe(true);
  });

  it('accepts certificate credentials with a secret and a thumbprint', () => {
    const certificate = { existingSecret: 'bot-cert', type: 'certificate', certificateThumbprint: 'AB'.repeat(20) };
    expect(check(mergeValues(production, { graph: { credentials: certificate } })).valid).toBe(true);
  });

  it.each([
    ['inline flows with their routing', withSignaling({ flows: { files: { 'front-desk.yaml': flowFile }, routing: 'default: { flow: front-desk }' } })],
    ['routing alone (every rule hands calls to apps)', withSignaling({ flows: { routing: 'default: { app: crm }' } })],
    ['flows from an existing ConfigMap', withSignaling({ flows: { existingConfigMap: 'ivr-flows' } })],
    ['customer webhooks from a Secret with tuning', withSignaling({ customerWebhooks: { existingSecret: 'hooks', fileKey: 'hooks.json', timeoutMs: 100, maxDeliver: 100, backoffBaseMs: 10, backoffMaxMs: 300000 } })],
    ['per-service NATS users in emulator mode (passwords from values)', { nats: { auth: { enabled: true } } }],
    ['external NATS with per-service users from a Secret', mergeValues(production, { nats: { mode: 'external', enabled: false, url: 'tls://nats:4222', auth: { enabled: true, existingSecret: 'nats-users' } } })],
    ['production media with the bridge off', mergeValues(production, { media: { bridge: { enabled: false, publicIp: '', certificate: { existingSecret: '' } } } })],
    ['a flow webhook Secret', withSignaling({ flowWebhookSecret: { existingSecret: 'flow-hmac', existingSecretKey: 'hmac' } })],
    ['orchestration numbers at their bounds', withSignaling({ keepAliveIntervalMs: 2400000, orchestration: { claimLeaseMs: 600000, ackWaitMs: 1200000, maxDeliver: 100, consumerConcurrency: 1000 } })],
    ['a NATS namespace', { nats: { namespace: 'tenant-a' } }],
    ['production with the REST APIs off and no issuer', mergeValues(production, { api: { enabled: false, oidcUrl: '' } })],
    ['an http issuer in emulator mode (a local identity provider)', { api: { oidcUrl: 'http://idp.local/.well-known/openid-configuration' } }],
    ['a recording policy with a tenant that stays', { recordingCompliance: { policy: { media: 'serviceHosted', participantCapacity: 5, onRecordingFailure: 'leave', tenantOnRecordingFailure: { 'tenant-a': 'stay-and-alert' } } } }],
  ])('accepts %s', (_name, override) => {
    expect(check(override)).toEqual({ valid: true, errors: [] });
  });

  it.each([
    ['a negative media replica count', { media: { replicaCount: -1 } }, '/media/replicaCount must be >= 0'],
    ['an unknown nats.mode', { nats: { mode: 'embedded' } }, '/nats/mode must be equal to one of the allowed values'],
    ['an unknown graph.mode', { graph: { mode: 'staging' } }, '/graph/mode must be equal to one of the allowed values'],
    ['external NATS without a URL', { nats: { mode: 'external', enabled: false } }, '/nats/url must match pattern'],
    ['external NATS with a non-NATS URL', { nats: { mode: 'external', enabled: false, url: 'http://x:4222' } }, '/nats/url must match pattern'],
    ['external NATS while the subchart stays enabled', { nats: { mode: 'external', url: 'nats://x:4222' } }, '/nats/enabled must be equal to constant'],
    ['the subchart mode with the subchart disabled', { nats: { enabled: false } }, '/nats/enabled must be equal to constant'],
    ['production without a tenant', mergeValues(production, { graph: { tenantId: '' } }), '/graph/tenantId must NOT have fewer than 1 characters'],
    ['production without an app id', mergeValues(production, { graph: { appId: '' } }), '/graph/appId must NOT have fewer than 1 characters'],
    ['production without a credential Secret', mergeValues(production, { graph: { credentials: { existingSecret: '' } } }), '/graph/credentials/existingSecret must NOT have fewer than 1 characters'],
    ['production with an http callback URL', mergeValues(production, { graph: { publicCallbackUrl: 'http://bot.example.com/api/calling' } }), '/graph/publicCallbackUrl must match pattern'],
    ['production recordings without a storage Secret', mergeValues(production, { recordingCompliance: { blob: { existingSecret: '' } } }), '/recordingCompliance/blob/existingSecret must NOT have fewer than 1 characters'],
    ['a certificate without a thumbprint', mergeValues(production, { graph: { credentials: { type: 'certificate' } } }), '/graph/credentials/certificateThumbprint must NOT have fewer than 1 characters'],
    ['a zero signaling replica count', { signaling: { replicaCount: 0 } }, '/signaling/replicaCount must be >= 1'],
    ['a port out of range', { media: { grpcPort: 70000 } }, '/media/grpcPort must be <= 65535'],
    ['an unknown log level', { logLevel: 'verbose' }, '/logLevel must be equal to one of the allowed values'],
    ['a misspelt key', { media: { replicas: 3 } }, '/media must NOT have additional properties'],
    ['an ingress without a host', { signaling: { ingress: { enabled: true } } }, '/signaling/ingress/host must NOT have fewer than 1 characters'],
    ['an ingress without a TLS Secret', { signaling: { ingress: { enabled: true, host: 'bot.example.com' } } }, '/signaling/ingress/tlsSecret must NOT have fewer than 1 characters'],
    ['media pinned to Linux nodes', { media: { nodeSelector: { 'kubernetes.io/os': 'linux' } } }, '/media/nodeSelector/kubernetes.io~1os must be equal to constant'],
    ['production media without a public IP', mergeValues(production, { media: { bridge: { publicIp: '' } } }), '/media/bridge/publicIp must NOT have fewer than 1 characters'],
    ['production media without its certificate', mergeValues(production, { media: { bridge: { certificate: { existingSecret: '' } } } }), '/media/bridge/certificate/existingSecret must NOT have fewer than 1 characters'],
    ['a media public IP that is not an IPv4 address', { media: { bridge: { publicIp: '20.1.2' } } }, '/media/bridge/publicIp must match pattern'],
    ['production NATS users without their Secret', mergeValues(production, { nats: { auth: { enabled: true } } }), '/nats/auth/existingSecret must NOT have fewer than 1 characters'],
    ['external NATS users without their Secret', { nats: { mode: 'external', enabled: false, url: 'nats://x:4222', auth: { enabled: true } } }, '/nats/auth/existingSecret must NOT have fewer than 1 characters'],
    ['NATS subjects given as one string', { nats: { auth: { users: { media: { publish: 'media.v1.>' } } } } }, '/nats/auth/users/media/publish must be array'],
    ['production without a welcome prompt', mergeValues(production, { graph: { promptUri: '' } }), '/graph/promptUri must match pattern'],
    ['production with an http API issuer', mergeValues(production, { api: { oidcUrl: 'http://login.example.com/.well-known/openid-configuration' } }), '/api/oidcUrl must match pattern "^https://'],
    ['production with the API on and no issuer', mergeValues(production, { api: { oidcUrl: '' } }), '/api/oidcUrl must match pattern "^https://'],
    ['an issuer that is not a URL', { api: { oidcUrl: 'login.example.com' } }, '/api/oidcUrl must match pattern'],
    ['an empty API audience', { api: { audience: '' } }, '/api/audience must NOT have fewer than 1 characters'],
    ['a negative keepAlive interval', withSignaling({ keepAliveIntervalMs: -1 }), '/signaling/keepAliveIntervalMs must be >= 1000'],
    ['a keepAlive interval Graph would outlast', withSignaling({ keepAliveIntervalMs: 2400001 }), '/signaling/keepAliveIntervalMs must be <= 2400000'],
    ['a fractional keepAlive interval', withSignaling({ keepAliveIntervalMs: 1000.5 }), '/signaling/keepAliveIntervalMs must be integer'],
    ['a webhook body limit below 1 KiB', withSignaling({ webhookBodyLimitBytes: 1023 }), '/signaling/webhookBodyLimitBytes must be >= 1024'],
    ['a claim lease under a second', withSignaling({ orchestration: { claimLeaseMs: 999 } }), '/signaling/orchestration/claimLeaseMs must be >= 1000'],
    ['an ack wait over 20 minutes', withSignaling({ orchestration: { ackWaitMs: 1200001 } }), '/signaling/orchestration/ackWaitMs must be <= 1200000'],
    ['zero deliveries', withSignaling({ orchestration: { maxDeliver: 0 } }), '/signaling/orchestration/maxDeliver must be >= 1'],
    ['a consumer concurrency over 1000', withSignaling({ orchestration: { consumerConcurrency: 1001 } }), '/signaling/orchestration/consumerConcurrency must be <= 1000'],
    ['a misspelt orchestration key', withSignaling({ orchestration: { claimLease: 1000 } }), '/signaling/orchestration must NOT have additional properties'],
    ['an upper-case NATS namespace', { nats: { namespace: 'Tenant' } }, '/nats/namespace must match pattern'],
    ['a NATS namespace over 32 characters', { nats: { namespace: 'a'.repeat(33) } }, '/nats/namespace must match pattern'],
    ['flow files without routing', withSignaling({ flows: { files: { 'front-desk.yaml': flowFile } } }), '/signaling/flows/routing must NOT have fewer than 1 characters'],
    ['a flow file name without a flow extension', withSignaling({ flows: { files: { 'front-desk.txt': flowFile }, routing: 'default: { flow: front-desk }' } }), '/signaling/flows/files must match pattern'],
    ['an empty flow file', withSignaling({ flows: { files: { 'front-desk.yaml': '' }, routing: 'default: { flow: front-desk }' } }), "/signaling/flows/files/front-desk.yaml must NOT have fewer than 1 characters"],
    ['an existing ConfigMap together with inline flows', withSignaling({ flows: { existingConfigMap: 'ivr-flows', routing: 'default: { flow: a }' } }), '/signaling/flows/routing must NOT have more than 0 characters'],
    ['a ConfigMap name that is not a DNS name', withSignaling({ flows: { existingConfigMap: 'IVR_flows' } }), '/signaling/flows/existingConfigMap must match pattern'],
    ['a flow webhook secret shorter than 16 characters', withSignaling({ flowWebhookSecret: { secret: 'short' } }), '/signaling/flowWebhookSecret/secret must match pattern'],
    ['a subscriptions file key of an unknown format', withSignaling({ customerWebhooks: { fileKey: 'hooks.txt' } }), '/signaling/customerWebhooks/fileKey must match pattern'],
    ['a delivery timeout over a minute', withSignaling({ customerWebhooks: { timeoutMs: 60001 } }), '/signaling/customerWebhooks/timeoutMs must be <= 60000'],
    ['a backoff cap over five minutes', withSignaling({ customerWebhooks: { backoffMaxMs: 300001 } }), '/signaling/customerWebhooks/backoffMaxMs must be <= 300000'],
    ['zero webhook attempts', withSignaling({ customerWebhooks: { maxDeliver: 0 } }), '/signaling/customerWebhooks/maxDeliver must be >= 1'],
    ['an unknown recording failure action', { recordingCompliance: { policy: { onRecordingFailure: 'hang-up' } } }, '/recordingCompliance/policy/onRecordingFailure must be equal to one of the allowed values'],
    ['a tenant with an unknown failure action', { recordingCompliance: { policy: { tenantOnRecordingFailure: { 'tenant-a': 'ignore' } } } }, '/recordingCompliance/policy/tenantOnRecordingFailure/tenant-a must be equal to one of the allowed values'],
  ])('rejects %s', (_name, override, message) => {
    const result = check(override);
    expect(result.valid).toBe(false);
    expect(result.errors.join('\n')).toContain(message);
  });

  it('leaves the shipped defaults untouched when validating an override', () => {
    const before = JSON.stringify(chart.values);
    check({ media: { replicaCount: -1 } });
    expect(JSON.stringify(chart.values)).toBe(before);
  });
});

describe('helm with values.schema.json', () => {
  /** helm refuses bad values before rendering anything, naming the value and what is wrong with it. */
  const refusal = (values: unknown) => {
    const result = templateChart(values);
    expect(result.stdout).toBe('');
    expect(result.status).not.toBe(0);
    return result.stderr;
  };

  it.each([
    ['a number given as text', { media: { replicaCount: 'two' } }, ["at '/media/replicaCount'", 'got string, want integer']],
    ['a flag given as text', { signaling: { pdb: { enabled: 'yes' } } }, ["at '/signaling/pdb/enabled'", 'got string, want boolean']],
    ['media selected onto Linux nodes', { media: { nodeSelector: { 'kubernetes.io/os': 'linux' } } }, ["at '/media/nodeSelector/kubernetes.io~1os'", "value must be 'windows'"]],
    ['production without the bot credential Secret', mergeValues(production, { graph: { credentials: { existingSecret: '' } } }), ["at '/graph/credentials/existingSecret'", 'minLength: got 0, want 1']],
    ['production without the recordings storage Secret', mergeValues(production, { recordingCompliance: { blob: { existingSecret: '' } } }), ["at '/recordingCompliance/blob/existingSecret'", 'minLength: got 0, want 1']],
    ['a certificate without its thumbprint', mergeValues(production, { graph: { credentials: { type: 'certificate' } } }), ["at '/graph/credentials/certificateThumbprint'"]],
    ['production media without its certificate', mergeValues(production, { media: { bridge: { certificate: { existingSecret: '' } } } }), ["at '/media/bridge/certificate/existingSecret'"]],
    ['a misspelt key', { media: { replicas: 3 } }, ["at '/media'", "additional properties 'replicas' not allowed"]],
  ])('refuses %s with a message naming the value', (_name, values, fragments) => {
    const message = refusal(values);
    expect(message).toContain("values don't meet the specifications of the schema");
    for (const fragment of fragments) expect(message).toContain(fragment);
  });

  it('refuses a claim lease that is not below the ack wait (a rule the schema cannot express) from the templates', () => {
    expect(refusal({ signaling: { orchestration: { claimLeaseMs: 30000, ackWaitMs: 30000 } } })).toContain(
      'signaling.orchestration.claimLeaseMs (30000) must be below ackWaitMs (30000)',
    );
  });
});

describe('charts/switchboard/README.md', () => {
  it('carries the values table generated from values.yaml', () => {
    const readme = readFileSync(join(CHART_DIR, 'README.md'), 'utf8');
    expect(readme.endsWith(`## Values\n\n${renderValuesTable(chart.valuesText)}`)).toBe(true);
  });
});
