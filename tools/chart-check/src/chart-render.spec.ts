import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CASES, MATRIX, THUMBPRINT, production, type MatrixCase } from './chart-matrix';
import { declaredEnvNames } from './lib/env-names';
import { mergeValues } from './lib/chart-values';
import { helmVersion, lintChart, renderChart, type K8sObject } from './lib/helm';
import { validateObjects } from './lib/k8s-schema';
import { CHART_DIR, WORKSPACE_ROOT } from './lib/paths';
import { Rendered, container, selects, type ServiceObject, type Workload } from './lib/rendered';

/**
 * The chart rendered by a real helm over the values matrix (chart-matrix.ts), every object validated against the
 * Kubernetes schemas, and the chart's conventions asserted on the rendered objects.
 */
const LINUX_COMPONENTS = ['signaling', 'meeting-join', 'recording-compliance'];
const NATS_STUB = 'switchboard.test/stub';
const FULLNAME = 'sb-switchboard';

const renders = new Map<MatrixCase, Rendered>();
const render = (name: MatrixCase) => renders.get(name)!;

beforeAll(() => {
  for (const name of CASES) {
    renders.set(name, new Rendered(renderChart(MATRIX[name]).filter((o) => !o.metadata.labels?.[NATS_STUB])));
  }
});

/** The values the nats subchart receives (rendered by the test stand-in, see fixtures/nats). */
function natsSubchartValues(values: unknown): Record<string, unknown> | undefined {
  const stub = renderChart(values).find((o) => o.metadata.labels?.[NATS_STUB]) as (K8sObject & { data: Record<string, string> }) | undefined;
  return stub ? (JSON.parse(stub.data['values.json']) as Record<string, unknown>) : undefined;
}

describe(`helm (${helmVersion()})`, () => {
  it.each(CASES)('lints the chart strictly: %s', (name) => {
    const result = lintChart(MATRIX[name]);
    expect([result.status, result.stdout + result.stderr]).toEqual([0, expect.stringContaining('0 chart(s) failed')]);
  });

  it.each(CASES)('renders only objects valid against the Kubernetes schemas: %s', (name) => {
    expect(render(name).objects.length).toBeGreaterThan(10);
    expect(validateObjects(render(name).objects)).toEqual([]);
  });

  it('reports an object that breaks the Kubernetes schema', () => {
    const broken = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'x' }, spec: { serviceName: 7, selector: {}, template: {} } };
    expect(validateObjects([broken as unknown as K8sObject])).toEqual([{ object: 'StatefulSet/x', error: expect.stringContaining('serviceName must be string') }]);
  });
});

describe.each(CASES)('%s', (name) => {
  const r = () => render(name);
  const values = MATRIX[name] as Record<string, Record<string, unknown>>;
  const isProduction = name !== 'emulator';

  it('labels every object with the app.kubernetes.io labels', () => {
    for (const o of r().objects) {
      expect([o.kind, o.metadata.name, o.metadata.labels]).toEqual([
        o.kind,
        o.metadata.name,
        expect.objectContaining({
          'app.kubernetes.io/name': 'switchboard',
          'app.kubernetes.io/instance': 'sb',
          'app.kubernetes.io/managed-by': 'Helm',
          'app.kubernetes.io/part-of': 'switchboard',
          'helm.sh/chart': 'switchboard-0.1.0',
        }),
      ]);
      expect(o.metadata.namespace).toBe('calls');
    }
  });

  it('labels pods without the chart version, so a chart release that changes nothing in a pod does not restart it', () => {
    for (const w of r().workloads()) {
      expect(w.spec.template.metadata.labels).toEqual({
        ...w.spec.selector.matchLabels,
        'app.kubernetes.io/version': '0.1.0',
        'app.kubernetes.io/part-of': 'switchboard',
      });
    }
  });

  it('runs signaling, meeting-join and recording-compliance as hardened Deployments on Linux with probes', () => {
    const linux = [...LINUX_COMPONENTS, ...(isProduction ? [] : ['graph-emulator'])];
    expect(r().ofKind<Workload>('Deployment').map((d) => d.metadata.labels?.['app.kubernetes.io/component']).sort()).toEqual([...linux].sort());
    for (const component of linux) {
      const d = r().workload(component);
      const pod = d.spec.template.spec;
      expect(selects(d.spec.selector.matchLabels, d.spec.template.metadata.labels)).toBe(true);
      expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
      expect(pod.tolerations ?? []).not.toContainEqual(expect.objectContaining({ key: 'os', value: 'windows' }));
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      for (const c of pod.containers) {
        expect(c.securityContext).toEqual({
          runAsNonRoot: true,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        });
        for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe'] as const) expect(c[probe]?.httpGet).toBeDefined();
        if (component !== 'graph-emulator') {
          expect(c.livenessProbe?.httpGet?.path).toBe('/health/live');
          expect(c.readinessProbe?.httpGet?.path).toBe('/health/ready');
        }
      }
      expect(d.spec.template.metadata.annotations?.['checksum/config']).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('gives each component a PodDisruptionBudget that selects its pods', () => {
    const pdbs = r().ofKind<K8sObject & { spec: { maxUnavailable: number; selector: { matchLabels: Record<string, string> } } }>('PodDisruptionBudget');
    for (const component of [...LINUX_COMPONENTS, 'media']) {
      const w = r().workload(component);
      const matching = pdbs.filter((p) => selects(p.spec.selector.matchLabels, w.spec.template.metadata.labels));
      expect([component, matching.map((p) => p.metadata.name)]).toEqual([component, [w.metadata.name]]);
      expect(matching[0].spec.maxUnavailable).toBe(1);
    }
  });

  it('runs media as a StatefulSet on the Windows pool with the Windows security context only', () => {
    const sts = r().workload('media');
    const pod = sts.spec.template.spec;
    expect(sts.kind).toBe('StatefulSet');
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'windows' });
    expect(pod.tolerations).toContainEqual({ key: 'os', operator: 'Equal', value: 'windows', effect: 'NoSchedule' });
    const windowsOnly = { runAsNonRoot: true, windowsOptions: { runAsUserName: 'ContainerUser' } };
    expect(pod.securityContext).toEqual(windowsOnly);
    // The bridge hosts Microsoft's media platform; with the emulator, frames arrive over gRPC without it.
    expect(pod.containers.map((c) => c.name)).toEqual(isProduction ? ['media', 'bridge'] : ['media']);
    for (const c of pod.containers) expect(c.securityContext).toEqual(windowsOnly);
    const replicas = ((values['media'] as Record<string, unknown> | undefined)?.['replicaCount'] as number | undefined) ?? 2;
    expect(sts.spec.replicas).toBe(replicas);
    expect(sts.spec.podManagementPolicy).toBe('Parallel');
  });

  it('drains a stopping media pod: preStop waits for live calls, grace period from values', () => {
    const sts = r().workload('media');
    expect(sts.spec.template.spec.terminationGracePeriodSeconds).toBe(54000);
    const media = container(sts, 'media');
    const [node, flag, script] = media.lifecycle?.preStop?.exec?.command ?? [];
    expect([node, flag]).toEqual(['node', '-e']);
    expect(script).toBe(readFileSync(join(CHART_DIR, 'files/media-drain.js'), 'utf8'));
    expect(media.readinessProbe?.grpc).toEqual({ port: 50051, service: '' });
    expect(media.livenessProbe?.grpc).toEqual({ port: 50051, service: 'liveness' });
    if (isProduction) expect(container(sts, 'bridge').lifecycle?.preStop).toEqual({ httpGet: { path: '/drain', port: 'bridge-http' } });
  });

  it('gives every media pod its own Service for its public media port', () => {
    const sts = r().workload('media');
    const perPod = r()
      .ofKind<ServiceObject>('Service')
      .filter((s) => s.spec.selector['statefulset.kubernetes.io/pod-name']);
    expect(perPod.map((s) => s.spec.selector['statefulset.kubernetes.io/pod-name'])).toEqual(
      Array.from({ length: sts.spec.replicas ?? 0 }, (_, i) => `${sts.metadata.name}-${i}`),
    );
    perPod.forEach((s, i) => {
      expect(s.spec.type).toBe('LoadBalancer');
      expect(s.spec.externalTrafficPolicy).toBe('Local');
      expect(s.spec.ports).toEqual([{ name: 'media', port: 28550 + i, targetPort: isProduction ? 'media' : 'grpc', protocol: 'TCP' }]);
      expect(selects(s.spec.selector, { ...sts.spec.template.metadata.labels, 'statefulset.kubernetes.io/pod-name': `${sts.metadata.name}-${i}` })).toBe(true);
      // Kept on scale-down: the pod it serves may still be draining calls through it.
      expect(s.metadata.annotations).toEqual({
        'helm.sh/resource-policy': 'keep',
        ...(isProduction ? { 'service.beta.kubernetes.io/azure-load-balancer-ipv4': '20.50.60.70' } : {}),
      });
    });
    if (isProduction) expect(container(sts, 'bridge').ports).toContainEqual({ name: 'media', containerPort: 8445, protocol: 'TCP' });
    const headless = r().get<ServiceObject>('Service', sts.spec.serviceName!);
    expect(headless.spec.clusterIP).toBe('None');
  });

  it('renders the media bridge with the media platform settings', () => {
    if (!isProduction) return;
    const sts = r().workload('media');
    const env = r().env(container(sts, 'bridge'));
    const value = (n: string) => env.get(n)?.value;
    expect(value('MEDIA_APP_ID')).toBe(production.graph.appId);
    expect(value('MEDIA_INSTANCE_PUBLIC_PORT_BASE')).toBe('28550');
    expect(env.get('POD_INDEX')?.valueFrom?.fieldRef?.fieldPath).toBe("metadata.labels['apps.kubernetes.io/pod-index']");
    expect(value('MEDIA_INSTANCE_INTERNAL_PORT')).toBe('8445');
    expect(value('MEDIA_GRPC_TARGET')).toBe('127.0.0.1:50051');
    expect(value('MEDIA_CERTIFICATE_THUMBPRINT')).toBe(THUMBPRINT);
    expect(value('MEDIA_INSTANCE_PUBLIC_IP')).toBe('20.50.60.70');
    expect(value('MEDIA_SERVICE_FQDN')).toBe('media.bot.example.com');
    // The media service then needs the bridge for PrepareCall.
    expect(r().env(container(sts, 'media')).get('MEDIA_BRIDGE_REQUIRED')?.value).toBe('true');
    expect(sts.spec.template.spec.volumes).toContainEqual({ name: 'media-certificate', secret: { secretName: 'media-tls' } });
    expect(container(sts, 'bridge').volumeMounts).toEqual([{ name: 'media-certificate', mountPath: 'C:\\switchboard\\media-certificate', readOnly: true }]);
  });

  it('references only Secrets and ConfigMaps that are rendered or named in the values', () => {
    const rendered = new Set(r().objects.filter((o) => o.kind === 'Secret' || o.kind === 'ConfigMap').map((o) => `${o.kind}/${o.metadata.name}`));
    const rendersData = (kind: string, n: string, key?: string) => {
      const o = r().find<K8sObject & { data?: Record<string, string> }>(kind, n);
      return key === undefined || o?.data?.[key] !== undefined;
    };
    const existing = ['bot-credentials', 'bot-certificate', 'recordings-storage', 'nats-users', 'media-tls'];
    for (const w of r().workloads()) {
      const pod = w.spec.template.spec;
      for (const c of pod.containers) {
        for (const e of c.env ?? []) {
          const ref = e.valueFrom?.secretKeyRef;
          if (!ref) continue;
          if (rendered.has(`Secret/${ref.name}`)) expect([ref, rendersData('Secret', ref.name, ref.key)]).toEqual([ref, true]);
          else expect(existing).toContain(ref.name);
        }
        for (const from of c.envFrom ?? []) expect(rendered).toContain(`ConfigMap/${from.configMapRef?.name}`);
      }
      for (const v of pod.volumes ?? []) {
        if (v.configMap) expect(rendered).toContain(`ConfigMap/${v.configMap.name}`);
        if (v.secret && !rendered.has(`Secret/${v.secret.secretName}`)) expect(existing).toContain(v.secret.secretName);
      }
    }
    // Production keeps every credential in Secrets the operator made: the chart creates none.
    if (isProduction) expect(r().ofKind('Secret')).toEqual([]);
  });

  it('keeps secrets out of ConfigMaps', () => {
    for (const cm of r().ofKind<K8sObject & { data: Record<string, string> }>('ConfigMap')) {
      expect(Object.keys(cm.data).filter((k) => /SECRET|PASSWORD|CONNECTION_STRING/.test(k))).toEqual([]);
    }
  });

  it('gives the bot identity to the services that call Graph, and to no other', () => {
    for (const component of ['signaling', 'meeting-join']) {
      const env = r().env(r().workload(component).spec.template.spec.containers[0]);
      expect(env.get('BOT_APP_ID')?.value).toBe(isProduction ? production.graph.appId : '00000000-0000-0000-0000-00000000b001');
      if (name === 'production with a certificate') {
        expect(env.get('BOT_CERTIFICATE_PATH')?.value).toBe('/var/run/secrets/switchboard/bot/bot.pem');
        expect(env.get('BOT_CERTIFICATE_THUMBPRINT')?.value).toBe(THUMBPRINT);
        expect(env.has('BOT_CLIENT_SECRET')).toBe(false);
        expect(r().workload(component).spec.template.spec.volumes).toContainEqual({
          name: 'bot-certificate',
          secret: { secretName: 'bot-certificate', items: [{ key: 'bot.pem', path: 'bot.pem' }] },
        });
      } else {
        const ref = env.get('BOT_CLIENT_SECRET')?.valueFrom?.secretKeyRef;
        expect(ref).toEqual(isProduction ? { name: 'bot-credentials', key: 'BOT_CLIENT_SECRET' } : { name: `${FULLNAME}-credentials`, key: 'BOT_CLIENT_SECRET' });
      }
    }
    for (const component of ['recording-compliance', 'media']) {
      const pod = r().workload(component).spec.template.spec;
      const env = r().env(pod.containers[0]);
      expect([component, env.has('BOT_CLIENT_SECRET'), env.has('BOT_APP_ID'), (pod.volumes ?? []).some((v) => v.name === 'bot-certificate')]).toEqual([component, false, false, false]);
    }
  });

  it('serves the three REST APIs with tokens from one issuer, each reachable through its Service', () => {
    const issuer = isProduction ? production.api.oidcUrl : expect.stringMatching(/^https:\/\/.+\/00000000-0000-0000-0000-00000000e001\/v2\.0\/\.well-known\/openid-configuration$/);
    for (const component of LINUX_COMPONENTS) {
      const workload = r().workload(component);
      const env = r().env(workload.spec.template.spec.containers[0]);
      expect([component, env.get('API_AUTH_AUDIENCE')?.value, env.get('API_AUTH_OIDC_URL')?.value]).toEqual([component, 'api://switchboard', issuer]);
      const service = r().get<ServiceObject>('Service', `${FULLNAME}-${component}`);
      expect(selects(service.spec.selector, workload.spec.template.metadata.labels)).toBe(true);
      expect(service.spec.ports).toEqual([expect.objectContaining({ name: 'http', targetPort: 'http' })]);
    }
    expect(r().env(r().workload('media').spec.template.spec.containers[0]).has('API_AUTH_OIDC_URL')).toBe(false);
  });

  it('stores recordings in Azure Storage through a connection string from a Secret (recording-compliance, the media pods and signaling)', () => {
    for (const component of ['recording-compliance', 'media', 'signaling']) {
      const env = r().env(container(r().workload(component), component));
      if (isProduction) expect(env.get('BLOB_CONNECTION_STRING')?.valueFrom?.secretKeyRef).toEqual({ name: 'recordings-storage', key: 'BLOB_CONNECTION_STRING' });
      else expect(env.has('BLOB_CONNECTION_STRING')).toBe(false);
    }
  });

  it('hands recording-compliance its recording policy under the names it reads', () => {
    const env = r().env(r().workload('recording-compliance').spec.template.spec.containers[0]);
    const policy = { media: 'appHosted', participantCapacity: 3, onRecordingFailure: 'leave', tenantOnRecordingFailure: {}, ...((values['recordingCompliance'] as { policy?: object } | undefined)?.policy ?? {}) };
    expect([env.get('POLICY_MEDIA')?.value, env.get('POLICY_PARTICIPANT_CAPACITY')?.value, env.get('RECORDING_FAILURE_POLICY')?.value]).toEqual([policy.media, String(policy.participantCapacity), policy.onRecordingFailure]);
    expect(JSON.parse(env.get('TENANT_RECORDING_FAILURE_POLICIES')?.value ?? '')).toEqual(policy.tenantOnRecordingFailure);
  });

  it('connects every service to NATS, as its own user when auth is on', () => {
    const nats = (values['nats'] ?? {}) as { mode?: string; url?: string; auth?: { enabled?: boolean } };
    for (const component of [...LINUX_COMPONENTS, 'media']) {
      const env = r().env(r().workload(component).spec.template.spec.containers[0]);
      expect(env.get('NATS_URL')?.value).toBe(nats.mode === 'external' ? nats.url : 'nats://sb-nats:4222');
      if (nats.auth?.enabled) {
        expect(env.get('NATS_USER')?.value).toBe(component);
        expect(env.get('NATS_PASSWORD')?.valueFrom?.secretKeyRef).toEqual({ name: 'nats-users', key: component });
      } else {
        expect([env.has('NATS_USER'), env.has('NATS_PASSWORD')]).toEqual([false, false]);
      }
    }
  });

  it('exposes the callback through an Ingress with TLS only in production', () => {
    const ingresses = r().ofKind<K8sObject & { spec: Record<string, unknown> }>('Ingress');
    if (!isProduction) return expect(ingresses).toEqual([]);
    expect(ingresses).toHaveLength(1);
    const ingress = ingresses[0] as K8sObject & {
      spec: { ingressClassName: string; tls: unknown[]; rules: { host: string; http: { paths: { backend: { service: { name: string; port: { name: string } } } }[] } }[] };
    };
    expect(ingress.spec.ingressClassName).toBe('nginx');
    expect(ingress.spec.tls).toEqual([{ hosts: ['bot.example.com'], secretName: 'bot-tls' }]);
    const backend = ingress.spec.rules[0].http.paths[0].backend.service;
    const service = r().get<ServiceObject>('Service', backend.name);
    expect(service.spec.ports.map((p) => p.name)).toContain(backend.port.name);
    expect(selects(service.spec.selector, r().workload('signaling').spec.template.metadata.labels)).toBe(true);
  });

  it('scales signaling with an HPA when autoscaling is on', () => {
    const hpas = r().ofKind<K8sObject & { spec: { scaleTargetRef: { kind: string; name: string }; minReplicas: number; maxReplicas: number } }>('HorizontalPodAutoscaler');
    const signaling = r().workload('signaling');
    if (name === 'media scaled out') {
      expect(hpas.map((h) => h.spec)).toEqual([expect.objectContaining({ scaleTargetRef: expect.objectContaining({ kind: 'Deployment', name: signaling.metadata.name }), minReplicas: 3, maxReplicas: 12 })]);
      expect(signaling.spec.replicas).toBeUndefined();
    } else {
      expect(hpas).toEqual([]);
      expect(signaling.spec.replicas).toBe(2);
    }
  });
});

describe('signaling configuration', () => {
  /** The env names signaling's configuration schema declares (its own and the shared schemas it composes). */
  const declared = declaredEnvNames(
    [
      'apps/signaling/src/app/config.ts',
      'apps/signaling/src/app/call-control/call-control.env.ts',
      'apps/signaling/src/app/customer-webhooks/customer-webhooks.env.ts',
      'apps/signaling/src/app/media-placement/media-placement.env.ts',
      'apps/signaling/src/app/recordings/recordings.env.ts',
      'libs/recording-store/src/lib/recording-storage-env.ts',
      'libs/service-kit/src/config/env-schemas.ts',
      'libs/graph-client/src/lib/graph-client-env.ts',
      'libs/api-auth/src/lib/api-auth-env.ts',
    ]
      .map((file) => readFileSync(join(WORKSPACE_ROOT, file), 'utf8'))
      .join('\n'),
  );
  it.each(CASES)('sets only variables signaling declares: %s', (name) => {
    const env = render(name).env(render(name).workload('signaling').spec.template.spec.containers[0]);
    expect([...env.keys()].filter((n) => !declared.includes(n))).toEqual([]);
    expect(env.size).toBeGreaterThanOrEqual(15);
  });

  it('sets every signaling setting the chart exposes under the name signaling reads', () => {
    const values = mergeValues(MATRIX['production with a client secret'], {
      signaling: {
        flows: { routing: 'default: { flow: front-desk }', files: { 'front-desk.yaml': 'id: front-desk\n' } },
        flowWebhookSecret: { existingSecret: 'flow-hmac' },
        customerWebhooks: { existingSecret: 'hooks' },
      },
    });
    const rendered = new Rendered(renderChart(values));
    const env = rendered.env(rendered.workload('signaling').spec.template.spec.containers[0]);
    for (const n of [
      'KEEPALIVE_INTERVAL_MS', 'WEBHOOK_BODY_LIMIT_BYTES', 'CLAIM_LEASE_MS', 'ACK_WAIT_MS', 'MAX_DELIVER', 'CONSUMER_CONCURRENCY',
      'API_AUTH_AUDIENCE', 'API_AUTH_OIDC_URL', 'ROUTING_FILE', 'FLOW_WEBHOOK_SECRET', 'CUSTOMER_WEBHOOKS_FILE', 'CUSTOMER_WEBHOOKS_TIMEOUT_MS',
      'CUSTOMER_WEBHOOKS_MAX_DELIVER', 'CUSTOMER_WEBHOOKS_BACKOFF_BASE_MS', 'CUSTOMER_WEBHOOKS_BACKOFF_MAX_MS', 'NATS_NAMESPACE', 'PUBLIC_CALLBACK_URL',
      'PROMPT_URI', 'CALLBACK_OIDC_URL',
    ]) {
      expect([n, declared.includes(n), env.has(n)]).toEqual([n, true, true]);
    }
    // Numbers are written as integers (values arrive as floats, which would print in exponent form).
    expect(env.get('KEEPALIVE_INTERVAL_MS')?.value).toBe('600000');
    expect(env.get('WEBHOOK_BODY_LIMIT_BYTES')?.value).toBe('1048576');
    expect(env.get('ROUTING_FILE')?.value).toBe('/etc/switchboard/flows/routing');
    expect(env.get('FLOW_WEBHOOK_SECRET')?.valueFrom?.secretKeyRef).toEqual({ name: 'flow-hmac', key: 'FLOW_WEBHOOK_SECRET' });
    const flows = rendered.get<K8sObject & { data: Record<string, string> }>('ConfigMap', `${FULLNAME}-signaling-flows`);
    expect(flows.data).toEqual({ routing: 'flowsDir: .\ndefault: { flow: front-desk }', 'front-desk.yaml': 'id: front-desk\n' });
  });
});

describe('checksums per component', () => {
  const cache = new Map<string, Rendered>();
  const rendered = (values: unknown) => {
    const key = JSON.stringify(values);
    if (!cache.has(key)) cache.set(key, new Rendered(renderChart(values)));
    return cache.get(key)!;
  };
  const podTemplate = (values: unknown, component: string) => rendered(values).workload(component).spec.template;
  const base = MATRIX['media scaled out'];

  it.each([
    ['the welcome prompt', { graph: { promptUri: 'https://prompts.example.com/other.wav' } }],
    ['the callback URL', { graph: { publicCallbackUrl: 'https://bot2.example.com/api/calling' } }],
    ['the flows', { signaling: { flows: { routing: 'default: { app: crm }' } } }],
    ['the orchestration tuning', { signaling: { orchestration: { maxDeliver: 20 } } }],
  ])('a change of %s rolls signaling and leaves the media pods alone', (_what, change) => {
    const before = { signaling: podTemplate(base, 'signaling'), media: podTemplate(base, 'media') };
    const after = { signaling: podTemplate(mergeValues(base, change), 'signaling'), media: podTemplate(mergeValues(base, change), 'media') };
    expect(after.signaling).not.toEqual(before.signaling);
    expect(after.media).toEqual(before.media);
  });

  it('rolls only signaling when its flow webhook secret given as a value changes (emulator)', () => {
    const change = { signaling: { flowWebhookSecret: { secret: 'another-flow-webhook-secret' } } };
    const annotation = (values: unknown, c: string) => podTemplate(values, c).metadata.annotations?.['checksum/config'];
    expect(annotation(change, 'signaling')).not.toBe(annotation({}, 'signaling'));
    for (const c of ['media', 'meeting-join', 'recording-compliance']) expect([c, annotation(change, c)]).toEqual([c, annotation({}, c)]);
  });

  it('rolls the media pods when their own settings change', () => {
    const change = { media: { maxCalls: 40 } };
    expect(podTemplate(mergeValues(base, change), 'media')).not.toEqual(podTemplate(base, 'media'));
    expect(podTemplate(mergeValues(base, change), 'signaling')).toEqual(podTemplate(base, 'signaling'));
  });

  it('rolls every component when a shared setting changes', () => {
    const change = { logLevel: 'debug' };
    for (const c of [...LINUX_COMPONENTS, 'media']) {
      const annotation = (v: unknown) => podTemplate(v, c).metadata.annotations?.['checksum/config'];
      expect([c, annotation(mergeValues(base, change)) === annotation(base)]).toEqual([c, false]);
    }
  });
});

describe('NATS as the official chart', () => {
  it('is a dependency of the chart, installed only in subchart mode, stood in for by a chart of a version it accepts', () => {
    const chartYaml = parse(readFileSync(join(CHART_DIR, 'Chart.yaml'), 'utf8')) as { dependencies: Record<string, string>[] };
    expect(chartYaml.dependencies).toEqual([
      { name: 'nats', version: '^1.2.0', repository: 'https://nats-io.github.io/k8s/helm/charts/', condition: 'nats.enabled' },
    ]);
    const stub = parse(readFileSync(join(__dirname, '../fixtures/nats/Chart.yaml'), 'utf8')) as { name: string; version: string };
    expect(stub).toMatchObject({ name: 'nats', version: expect.stringMatching(/^1\.([2-9]|\d{2,})\.\d+$/) });
  });

  it('hands the subchart JetStream with file storage on Linux nodes, and no users when auth is off', () => {
    const nats = natsSubchartValues({})!;
    expect(nats).toMatchObject({
      config: { jetstream: { enabled: true, fileStore: { enabled: true, pvc: { enabled: true } } }, merge: {} },
      container: { env: {} },
      podTemplate: { merge: { spec: { nodeSelector: { 'kubernetes.io/os': 'linux' } } } },
    });
  });

  it('configures one user per service with its subjects under the NATS namespace, passwords from the Secret', () => {
    const nats = natsSubchartValues({ nats: { namespace: 'acme', auth: { enabled: true } } })!;
    type User = { user: string; password: string; permissions: { publish: { allow: string[] }; subscribe: { allow: string[] } } };
    const account = (nats['config'] as { merge: { accounts: { SWITCHBOARD: { jetstream: string; users: User[] } } } }).merge.accounts.SWITCHBOARD;
    expect(account.jetstream).toBe('enabled');
    const users = Object.fromEntries(account.users.map((u) => [u.user, u]));
    expect(Object.keys(users).sort()).toEqual(['media', 'meeting-join', 'recording-compliance', 'signaling']);
    expect(users['signaling'].password).toBe('<< $NATS_PASSWORD_SIGNALING >>');
    expect(users['signaling'].permissions.publish.allow).toEqual(expect.arrayContaining(['acme.graph.v1.>', 'acme.calls.v1.>', '$JS.API.>', '$KV.>']));
    expect(users['signaling'].permissions.subscribe.allow).toEqual(['acme.graph.v1.>', 'acme.signaling.v1.>', 'acme.calls.v1.commands.>', '_INBOX.>']);
    expect(users['media'].permissions.publish.allow).not.toContain('acme.calls.v1.commands.>');
    expect(users['meeting-join'].permissions.subscribe.allow).not.toContain('acme.graph.v1.>');
    const env = (nats['container'] as { env: Record<string, unknown> }).env;
    expect(env['NATS_PASSWORD_MEETING_JOIN']).toEqual({ valueFrom: { secretKeyRef: { name: 'sb-nats-users', key: 'meeting-join' } } });
    // In emulator mode the chart makes that Secret from values; the services read their key from it.
    const rendered = new Rendered(renderChart({ nats: { auth: { enabled: true } } }));
    const secret = rendered.get<K8sObject & { data: Record<string, string> }>('Secret', 'sb-nats-users');
    expect(Object.keys(secret.data).sort()).toEqual(['media', 'meeting-join', 'recording-compliance', 'signaling']);
  });

  it('renders no NATS server with an external URL', () => {
    expect(natsSubchartValues(MATRIX['external NATS with credentials'])).toBeUndefined();
  });
});
