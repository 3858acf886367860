import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkValuesDocumented, compileSchema, loadChart, mergeValues, renderValuesTable, validateValues } from './index';
import { CHART_DIR } from './lib/paths';

const chart = loadChart(CHART_DIR);
const validate = compileSchema(chart.schema);
const check = (override: unknown) => validateValues(validate, mergeValues(chart.values, override));

const production = {
  graph: {
    mode: 'production',
    appId: '11111111-2222-3333-4444-555555555555',
    tenantId: '66666666-7777-8888-9999-000000000000',
    publicCallbackUrl: 'https://bot.example.com/api/calling',
    credentials: { existingSecret: 'bot-credentials' },
  },
  recordingCompliance: { blob: { existingSecret: 'recordings-storage' } },
};

describe('values.yaml', () => {
  it('documents every value with ## @param (or @skip) and names no missing value', () => {
    expect(checkValuesDocumented(chart.valuesText)).toEqual({ undocumented: [], unknownParams: [] });
  });

  it('passes its own schema as shipped', () => {
    expect(check({})).toEqual({ valid: true, errors: [] });
  });

  it('turns on JetStream in the nats subchart and keeps NATS on Linux nodes', () => {
    expect(chart.values['nats']).toMatchObject({
      mode: 'subchart',
      enabled: true,
      config: { jetstream: { enabled: true } },
      podTemplate: { merge: { spec: { nodeSelector: { 'kubernetes.io/os': 'linux' } } } },
    });
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

describe('charts/switchboard/README.md', () => {
  it('carries the values table generated from values.yaml', () => {
    const readme = readFileSync(join(CHART_DIR, 'README.md'), 'utf8');
    expect(readme.endsWith(`## Values\n\n${renderValuesTable(chart.valuesText)}`)).toBe(true);
  });
});
