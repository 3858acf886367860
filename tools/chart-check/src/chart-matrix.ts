import { mergeValues } from './lib/chart-values';

/** Values the chart tests render with: one install per way the chart is meant to be used. */
export const THUMBPRINT = 'AB'.repeat(20);

export const production = {
  graph: {
    mode: 'production',
    appId: '11111111-2222-3333-4444-555555555555',
    tenantId: '66666666-7777-8888-9999-000000000000',
    publicCallbackUrl: 'https://bot.example.com/api/calling',
    promptUri: 'https://prompts.example.com/welcome.wav',
    credentials: { type: 'clientSecret', existingSecret: 'bot-credentials' },
  },
  recordingCompliance: { blob: { existingSecret: 'recordings-storage' }, policy: { onRecordingFailure: 'stay-and-alert', tenantOnRecordingFailure: { 'bank-tenant': 'leave' } } },
  api: { oidcUrl: 'https://login.microsoftonline.com/66666666-7777-8888-9999-000000000000/v2.0/.well-known/openid-configuration' },
  signaling: {
    ingress: { enabled: true, className: 'nginx', host: 'bot.example.com', tlsSecret: 'bot-tls' },
  },
  media: {
    bridge: {
      publicIp: '20.50.60.70',
      serviceFqdn: 'media.bot.example.com',
      certificate: { existingSecret: 'media-tls', thumbprint: THUMBPRINT },
    },
  },
};

export const MATRIX = {
  emulator: {},
  'production with a client secret': production,
  'production with a certificate': mergeValues(production, {
    graph: { credentials: { type: 'certificate', existingSecret: 'bot-certificate', certificateKey: 'bot.pem', certificateThumbprint: THUMBPRINT } },
  }),
  'external NATS with credentials': mergeValues(production, {
    nats: { mode: 'external', enabled: false, url: 'tls://nats.messaging.svc:4222', namespace: 'acme', auth: { enabled: true, existingSecret: 'nats-users' } },
  }),
  'media scaled out': mergeValues(production, {
    media: { replicaCount: 5 },
    signaling: { autoscaling: { enabled: true, minReplicas: 3, maxReplicas: 12 } },
    nats: { auth: { enabled: true, existingSecret: 'nats-users' } },
  }),
} as const satisfies Record<string, unknown>;

export type MatrixCase = keyof typeof MATRIX;
export const CASES = Object.keys(MATRIX) as MatrixCase[];
