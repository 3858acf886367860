import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkGoTemplateBalance,
  declaredEnvNames,
  defineBody,
  definedTemplates,
  hasPath,
  includedTemplates,
  loadChart,
  valuesReferences,
  yamlSkeleton,
} from './index';
import { CHART_DIR, WORKSPACE_ROOT } from './lib/paths';

const chart = loadChart(CHART_DIR);
const template = (name: string): string => {
  const text = chart.templates.get(name);
  if (text === undefined) throw new Error(`templates/${name} is missing`);
  return text;
};
const helpers = template('_helpers.tpl');
const linuxDeployment = template('_linux-deployment.tpl');
const allText = [...chart.templates.values()].join('\n');
/** A helper whose body is plain YAML, parsed. */
const helperYaml = (name: string): unknown => {
  const body = defineBody(allText, name);
  if (body === undefined) throw new Error(`no define "${name}"`);
  return parse(body);
};
const resourceTemplates = [...chart.templates.keys()].filter((n) => n.endsWith('.yaml'));

/** The env names the services read (see the project's service configuration). */
const SERVICE_ENV = [
  'NATS_URL', 'LOG_LEVEL', 'HTTP_PORT', 'BOT_APP_ID', 'BOT_TENANT_ID', 'BOT_CLIENT_SECRET', 'BOT_CERTIFICATE_PATH',
  'BOT_CERTIFICATE_THUMBPRINT', 'AUTHORITY_HOST', 'GRAPH_BASE_URL', 'CALLBACK_OIDC_URL', 'PUBLIC_CALLBACK_URL', 'PROMPT_URI',
  'BLOB_CONNECTION_STRING', 'GRPC_PORT', 'MAX_CALLS', 'POD_NAME', 'EMULATOR_PORT', 'EMULATOR_BOT_WEBHOOK_URL',
  'EMULATOR_BOT_APP_ID', 'EMULATOR_TENANT_ID', 'EMULATOR_HOST', 'EMULATOR_PUBLIC_HOST', 'EMULATOR_STATE_DIR', 'EMULATOR_LOG_LEVEL',
  'EMULATOR_BOT_CLIENT_SECRET', 'EMULATOR_API_AUDIENCE', 'NATS_NAMESPACE', 'KEEPALIVE_INTERVAL_MS', 'WEBHOOK_BODY_LIMIT_BYTES',
  'CLAIM_LEASE_MS', 'ACK_WAIT_MS', 'MAX_DELIVER', 'CONSUMER_CONCURRENCY', 'API_AUTH_AUDIENCE', 'API_AUTH_OIDC_URL', 'ROUTING_FILE',
  'FLOW_WEBHOOK_SECRET', 'CUSTOMER_WEBHOOKS_FILE', 'CUSTOMER_WEBHOOKS_TIMEOUT_MS', 'CUSTOMER_WEBHOOKS_MAX_DELIVER',
  'CUSTOMER_WEBHOOKS_BACKOFF_BASE_MS', 'CUSTOMER_WEBHOOKS_BACKOFF_MAX_MS',
  // Read by the chart's own preStop script (files/media-drain.js).
  'DRAIN_POLL_SECONDS',
];

describe('Chart.yaml', () => {
  it('is a v2 chart at appVersion 0.1.0 with the official nats chart as a conditional dependency', () => {
    expect(chart.chart).toMatchObject({ apiVersion: 'v2', name: 'switchboard', appVersion: '0.1.0' });
    expect(chart.chart['dependencies']).toEqual([
      expect.objectContaining({ name: 'nats', repository: 'https://nats-io.github.io/k8s/helm/charts/', condition: 'nats.enabled' }),
    ]);
  });
});

describe('Go-template structure', () => {
  it.each([...chart.templates.keys()])('%s has balanced actions and blocks', (name) => {
    expect(checkGoTemplateBalance(template(name))).toEqual([]);
  });

  it('includes only templates that are defined', () => {
    const defined = new Set(definedTemplates(allText));
    expect(includedTemplates(allText).filter((n) => !defined.has(n))).toEqual([]);
  });

  it('reads only values that exist in values.yaml', () => {
    expect(valuesReferences(allText).filter((path) => !hasPath(chart.values, path))).toEqual([]);
  });
});

describe('_helpers.tpl', () => {
  it('defines the name, label and selector helpers', () => {
    for (const name of ['name', 'fullname', 'chart', 'labels', 'selectorLabels', 'componentLabels', 'componentSelectorLabels']) {
      expect(definedTemplates(helpers)).toContain(`switchboard.${name}`);
    }
  });

  it('puts the app.kubernetes.io labels on every resource and the component label on component resources', () => {
    const labels = defineBody(helpers, 'switchboard.labels') ?? '';
    for (const key of ['helm.sh/chart', 'app.kubernetes.io/version', 'app.kubernetes.io/managed-by', 'app.kubernetes.io/part-of']) {
      expect(labels).toContain(`${key}:`);
    }
    expect(defineBody(helpers, 'switchboard.selectorLabels')).toMatch(/app\.kubernetes\.io\/name:[\s\S]*app\.kubernetes\.io\/instance:/);
    expect(defineBody(helpers, 'switchboard.componentSelectorLabels')).toContain('app.kubernetes.io/component: {{ .component }}');
    expect(defineBody(helpers, 'switchboard.componentLabels')).toContain('app.kubernetes.io/component: {{ .component }}');
  });

  it('hardens Linux containers fully', () => {
    expect(helperYaml('switchboard.linux.containerSecurityContext')).toEqual({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(helperYaml('switchboard.linux.podSecurityContext')).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
  });

  it('gives Windows pods only runAsNonRoot and windowsOptions', () => {
    expect(helperYaml('switchboard.windows.securityContext')).toEqual({ runAsNonRoot: true, windowsOptions: { runAsUserName: 'ContainerUser' } });
  });

  it('schedules Windows pods with the OS selector and the os=windows:NoSchedule toleration, the OS key winning over user selectors', () => {
    const body = defineBody(helpers, 'switchboard.windows.scheduling') ?? '';
    expect(body).toContain('merge (dict "kubernetes.io/os" "windows") .Values.media.nodeSelector');
    expect(body.match(/^nodeSelector:/gm)).toHaveLength(1);
    expect(body).toMatch(/tolerations:\n\s+- key: os\n\s+operator: Equal\n\s+value: windows\n\s+effect: NoSchedule/);
  });

  it('schedules Linux pods with the OS selector winning over user selectors', () => {
    const body = defineBody(helpers, 'switchboard.linux.scheduling') ?? '';
    expect(body).toContain('merge (dict "kubernetes.io/os" "linux") .Values.linuxNodeSelector');
    expect(body.match(/^nodeSelector:/gm)).toHaveLength(1);
  });

  it('hashes the ConfigMap and the generated Secret into checksum/config', () => {
    const body = defineBody(helpers, 'switchboard.podAnnotations') ?? '';
    expect(body).toContain('"/configmap.yaml"');
    expect(body).toContain('"/secret.yaml"');
    expect(body).toMatch(/checksum\/config: \{\{ print \$config \$secret \| sha256sum \}\}/);
  });

  it('probes the Linux services on /health/live (startup, liveness) and /health/ready (readiness)', () => {
    const probes = defineBody(helpers, 'switchboard.httpProbes') ?? '';
    expect(probes).toMatch(/startupProbe:\n\s+httpGet:\n\s+path: \/health\/live/);
    expect(probes).toMatch(/livenessProbe:\n\s+httpGet:\n\s+path: \/health\/live/);
    expect(probes).toMatch(/readinessProbe:\n\s+httpGet:\n\s+path: \/health\/ready/);
  });
});

describe('workloads', () => {
  it('builds every Linux Deployment from one helper with labels, selector, checksum, OS scheduling, hardening and probes', () => {
    for (const fragment of [
      'kind: Deployment',
      'matchLabels:\n      {{- include "switchboard.componentSelectorLabels" . | nindent 6 }}',
      'labels:\n        {{- include "switchboard.componentLabels" . | nindent 8 }}',
      'include "switchboard.podAnnotations"',
      'include "switchboard.linux.scheduling"',
      'include "switchboard.linux.podSecurityContext"',
      'include "switchboard.linux.containerSecurityContext"',
      'include "switchboard.httpProbes"',
      'mountPath: /tmp',
      'name: HTTP_PORT',
    ]) {
      expect(linuxDeployment).toContain(fragment);
    }
  });

  it.each([
    ['signaling.yaml', 'signaling', '.Values.signaling'],
    ['meeting-join.yaml', 'meeting-join', '.Values.meetingJoin'],
    ['recording-compliance.yaml', 'recording-compliance', '.Values.recordingCompliance'],
    ['graph-emulator.yaml', 'graph-emulator', '$values'],

  ])('%s deploys the %s component through the Linux helper', (file, component, values) => {
    expect(template(file)).toContain(`include "switchboard.linuxDeployment" (dict "root" $ "component" "${component}" "values" ${values}`);
  });

  it('gives the bot identity to signaling, meeting-join and recording-compliance, not to the emulator', () => {
    for (const file of ['signaling.yaml', 'meeting-join.yaml', 'recording-compliance.yaml']) expect(template(file)).toContain('"botIdentity" "true"');
    expect(template('graph-emulator.yaml')).not.toContain('botIdentity');
  });

  it('runs the emulator only in emulator mode, listening on the pod IP with its state in the writable /tmp', () => {
    expect(template('graph-emulator.yaml')).toMatch(/^\{\{- if eq \.Values\.graph\.mode "emulator" \}\}$/m);
    const env = parse(yamlSkeleton(defineBody(allText, 'switchboard.emulatorEnv')!)) as { name: string; value?: string }[];
    expect(env).toEqual(expect.arrayContaining([{ name: 'EMULATOR_HOST', value: '0.0.0.0' }, { name: 'EMULATOR_STATE_DIR', value: '/tmp/emulator' }]));
    expect(template('graph-emulator.yaml')).toContain('"probes" (include "switchboard.emulatorProbes" $)');
    expect(defineBody(allText, 'switchboard.emulatorProbes')).toMatch(/path: \/emulator\/health\n\s+port: http\n\s+scheme: HTTPS/);
  });

  it('serves signaling on its http port with an optional HPA that takes over the replica count', () => {
    expect(template('signaling.yaml')).toMatch(/kind: Service[\s\S]*targetPort: http/);
    expect(template('signaling.yaml')).toContain('"replicas" (not .Values.signaling.autoscaling.enabled)');
    expect(template('signaling-hpa.yaml')).toMatch(/^\{\{- if \.Values\.signaling\.autoscaling\.enabled \}\}/);
    expect(template('signaling-hpa.yaml')).toContain('kind: HorizontalPodAutoscaler');
  });

  it('creates a PodDisruptionBudget per component', () => {
    const pdb = template('pdb.yaml');
    for (const [component, values] of [
      ['signaling', 'signaling'],
      ['meeting-join', 'meetingJoin'],
      ['recording-compliance', 'recordingCompliance'],
      ['media', 'media'],
    ]) {
      expect(pdb).toContain(`(list "${component}" .Values.${values}.pdb`);
    }
    expect(defineBody(helpers, 'switchboard.pdb')).toMatch(/kind: PodDisruptionBudget[\s\S]*maxUnavailable[\s\S]*componentSelectorLabels/);
  });

  it('carries component labels on every resource template', () => {
    for (const name of resourceTemplates.filter((n) => !['configmap.yaml', 'secret.yaml', 'serviceaccount.yaml', 'pdb.yaml'].includes(n))) {
      expect([name, /switchboard\.(componentLabels|linuxDeployment)/.test(template(name))]).toEqual([name, true]);
    }
    for (const name of ['configmap.yaml', 'secret.yaml', 'serviceaccount.yaml']) expect(template(name)).toContain('include "switchboard.labels"');
  });
});

describe('media', () => {
  const media = template('media.yaml');
  const statefulSet = media.slice(0, media.indexOf('---'));

  it('is a StatefulSet on the Windows pool with the Windows security context only', () => {
    expect(statefulSet).toContain('kind: StatefulSet');
    expect(statefulSet).toContain('include "switchboard.windows.scheduling"');
    expect(statefulSet).not.toContain('linux');
    expect(statefulSet.match(/include "switchboard\.windows\.securityContext"/g)).toHaveLength(2);
    expect(statefulSet).toContain('include "switchboard.podAnnotations"');
    expect(statefulSet).toContain('matchLabels:\n      {{- include "switchboard.componentSelectorLabels" $ctx | nindent 6 }}');
  });

  it('uses gRPC startup, liveness and readiness probes on the gRPC port', () => {
    for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
      expect(statefulSet).toMatch(new RegExp(`${probe}:\\n\\s+grpc:\\n\\s+port: \\{\\{ \\$m\\.grpcPort \\}\\}`));
    }
    expect(chart.values['media']).toMatchObject({ grpcPort: 50051, httpPort: 3003 });
  });

  it('drains before stopping: a long configurable grace period and a node preStop running the drain script', () => {
    expect(statefulSet).toContain('terminationGracePeriodSeconds: {{ $m.terminationGracePeriodSeconds }}');
    expect((chart.values['media'] as Record<string, number>)['terminationGracePeriodSeconds']).toBeGreaterThanOrEqual(3600);
    expect(statefulSet).toMatch(/preStop:\n\s+exec:[\s\S]*- node\n\s+- -e\n\s+- \{\{ \.Files\.Get "files\/media-drain\.js" \| toJson \}\}/);
    expect(statefulSet.toLowerCase()).not.toContain('powershell');
  });

  it('sets the media env from values and POD_NAME from the downward API', () => {
    expect(statefulSet).toMatch(/- name: POD_NAME\n\s+valueFrom:\n\s+fieldRef:\n\s+fieldPath: metadata\.name/);
    for (const name of ['GRPC_PORT', 'HTTP_PORT', 'MAX_CALLS']) expect(statefulSet).toContain(`- name: ${name}`);
  });

  it('has a headless Service and one Service per pod selected by pod name', () => {
    expect(media).toMatch(/kind: Service[\s\S]*clusterIP: None/);
    const perPod = template('media-pod-services.yaml');
    expect(perPod).toContain('range $i := until (int .Values.media.replicaCount)');
    expect(perPod).toContain('statefulset.kubernetes.io/pod-name: {{ $podName }}');
    expect(perPod).toContain('port: {{ add (int $svc.basePort) $i }}');
  });
});

describe('configuration', () => {
  const configMap = template('configmap.yaml');

  it('puts the non-secret settings in the ConfigMap', () => {
    for (const name of ['NATS_URL', 'LOG_LEVEL', 'GRAPH_BASE_URL', 'AUTHORITY_HOST', 'CALLBACK_OIDC_URL', 'BOT_APP_ID', 'BOT_TENANT_ID', 'PUBLIC_CALLBACK_URL', 'PROMPT_URI']) {
      expect(configMap).toMatch(new RegExp(`^\\s+${name}: `, 'm'));
    }
  });

  it('keeps secrets out of the ConfigMap and reads them from Secrets', () => {
    expect(configMap).not.toMatch(/SECRET|CONNECTION_STRING/);
    expect(defineBody(helpers, 'switchboard.botCredentialEnv')).toMatch(/- name: BOT_CLIENT_SECRET\n\s+valueFrom:\n\s+secretKeyRef:/);
    expect(template('recording-compliance.yaml')).toContain('BLOB_CONNECTION_STRING\\n  valueFrom:\\n    secretKeyRef');
  });

  it('sets only env names the services (or the chart\'s drain script) read', () => {
    const names = new Set([
      ...[...allText.matchAll(/- name: ([A-Z][A-Z0-9_]+)/g)].map((m) => m[1]),
      ...[...allText.matchAll(/- name: ([A-Z][A-Z0-9_]+)\\n/g)].map((m) => m[1]),
      ...[...configMap.matchAll(/^\s+([A-Z][A-Z0-9_]+): /gm)].map((m) => m[1]),
    ]);
    expect([...names].filter((n) => !SERVICE_ENV.includes(n))).toEqual([]);
    expect(names.size).toBeGreaterThan(15);
  });

  it('has NOTES.txt on reaching the webhook and checking readiness', () => {
    const notes = template('NOTES.txt');
    expect(notes).toContain('/api/calling');
    expect(notes).toContain('/health/ready');
  });
});

describe('signaling settings', () => {
  /** The env names signaling's configuration schema declares (config.ts and the env objects it merges). */
  const signalingEnvNames = declaredEnvNames(
    ['config.ts', 'call-control/call-control.env.ts', 'customer-webhooks/customer-webhooks.env.ts']
      .map((file) => readFileSync(join(WORKSPACE_ROOT, 'apps/signaling/src/app', file), 'utf8'))
      .join('\n'),
  );
  const signalingHelpers = template('_signaling.tpl');
  const helper = (name: string): string => {
    const body = defineBody(signalingHelpers, name);
    if (body === undefined) throw new Error(`no define "${name}"`);
    return body;
  };
  type EnvEntry = { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } };
  const env = parse(yamlSkeleton(helper('switchboard.signaling.env'))) as EnvEntry[];
  const envNames = env.map((e) => e.name);
  const signalingDeployment = template('signaling.yaml');

  it('sets every new signaling setting, each under the name signaling reads', () => {
    const expected = [
      'KEEPALIVE_INTERVAL_MS', 'WEBHOOK_BODY_LIMIT_BYTES', 'CLAIM_LEASE_MS', 'ACK_WAIT_MS', 'MAX_DELIVER', 'CONSUMER_CONCURRENCY',
      'API_AUTH_AUDIENCE', 'API_AUTH_OIDC_URL', 'ROUTING_FILE', 'FLOW_WEBHOOK_SECRET', 'CUSTOMER_WEBHOOKS_FILE',
      'CUSTOMER_WEBHOOKS_TIMEOUT_MS', 'CUSTOMER_WEBHOOKS_MAX_DELIVER', 'CUSTOMER_WEBHOOKS_BACKOFF_BASE_MS', 'CUSTOMER_WEBHOOKS_BACKOFF_MAX_MS',
    ];
    expect(signalingEnvNames).toEqual(expect.arrayContaining([...expected, 'NATS_NAMESPACE']));
    expect([...new Set(envNames)].sort()).toEqual([...expected].sort());
    expect(envNames.filter((n) => !signalingEnvNames.includes(n))).toEqual([]);
  });

  it('hands signaling its env, mounts and flow checksum through the Linux Deployment helper', () => {
    for (const part of [
      '"env" (include "switchboard.signaling.env" $)',
      '"volumeMounts" (include "switchboard.signaling.volumeMounts" $)',
      '"volumes" (include "switchboard.signaling.volumes" $)',
      '"annotations" (fromYaml (include "switchboard.signaling.podAnnotations" $))',
    ]) {
      expect(signalingDeployment).toContain(part);
    }
    expect(linuxDeployment).toContain('include "switchboard.podAnnotations" (dict "root" $root "extra" .annotations)');
    expect(linuxDeployment).toMatch(/volumeMounts:[\s\S]*\{\{- with \.volumeMounts \}\}\n\s+\{\{- \. \| nindent 12 \}\}/);
    expect(linuxDeployment).toMatch(/volumes:[\s\S]*\{\{- with \.volumes \}\}\n\s+\{\{- \. \| nindent 8 \}\}/);
  });

  it('gives NATS_NAMESPACE to every service through the shared ConfigMap', () => {
    expect(template('configmap.yaml')).toContain('NATS_NAMESPACE: {{ .Values.nats.namespace | quote }}');
    expect(linuxDeployment).toContain('configMapRef:');
    expect(template('media.yaml')).toContain('configMapRef:');
  });

  it('renders inline flows and the routing into a ConfigMap only when the chart owns the flows', () => {
    const flowsConfigMap = template('signaling-flows.yaml');
    expect(flowsConfigMap).toMatch(/^\{\{- if eq \(include "switchboard\.signaling\.flowsSource" \.\) "chart" \}\}$/m);
    expect(flowsConfigMap).toContain('kind: ConfigMap');
    expect(flowsConfigMap).toContain('name: {{ include "switchboard.signaling.flowsConfigMapName" . }}');
    expect(flowsConfigMap).toContain('$data := dict "routing" (include "switchboard.signaling.routingText" .)');
    expect(flowsConfigMap).toContain('range $name, $text := .Values.signaling.flows.files');
    expect(flowsConfigMap).toContain('toYaml $data | nindent 2');
  });

  it('mounts the flows folder read-only and points ROUTING_FILE at the routing file inside it', () => {
    expect(helper('switchboard.signaling.flowsDir').trim()).toBe('/etc/switchboard/flows');
    const mounts = parse(yamlSkeleton(helper('switchboard.signaling.volumeMounts'))) as { name: string; readOnly: boolean }[];
    expect(mounts).toEqual([expect.objectContaining({ name: 'flows', readOnly: true }), expect.objectContaining({ name: 'customer-webhooks', readOnly: true })]);
    expect(helper('switchboard.signaling.volumeMounts')).toContain('mountPath: {{ include "switchboard.signaling.flowsDir" . }}');
    expect(helper('switchboard.signaling.volumes')).toMatch(/- name: flows\n\s+configMap:\n\s+name: \{\{ include "switchboard\.signaling\.flowsConfigMapName" \. \}\}/);
    expect(helper('switchboard.signaling.env')).toContain('value: {{ printf "%s/routing" (include "switchboard.signaling.flowsDir" .) | quote }}');
    // ROUTING_FILE only when there are flows: otherwise signaling runs its built-in welcome flow.
    expect(helper('switchboard.signaling.env')).toMatch(/\{\{- if include "switchboard\.signaling\.flowsSource" \. \}\}\n- name: ROUTING_FILE/);
  });

  it('makes the routing flowsDir name the mounted folder, refusing any other', () => {
    const routing = helper('switchboard.signaling.routingText');
    expect(routing).toContain('fromYaml $text');
    expect(routing).toMatch(/\{\{- else -\}\}\nflowsDir: \.\n\{\{ \$text \}\}/);
    expect(routing).toContain('would not find the mounted flow files');
    const source = helper('switchboard.signaling.flowsSource');
    expect(source).toContain('set either existingConfigMap or files/routing, not both');
    expect(source).toContain('signaling.flows.files needs signaling.flows.routing');
  });

  it('rolls the signaling pods when the chart-made flows ConfigMap changes', () => {
    expect(helper('switchboard.signaling.podAnnotations')).toContain(
      'checksum/flows: {{ include (print .Template.BasePath "/signaling-flows.yaml") . | sha256sum }}',
    );
  });

  it('reads the flow webhook secret from a Secret, generated only in emulator mode', () => {
    const flowSecret = env.filter((e) => e.name === 'FLOW_WEBHOOK_SECRET');
    expect(flowSecret).toHaveLength(2);
    for (const entry of flowSecret) expect(entry).toEqual({ name: 'FLOW_WEBHOOK_SECRET', valueFrom: { secretKeyRef: { name: 'x', key: expect.any(String) } } });
    expect(helper('switchboard.signaling.generatesFlowWebhookSecret')).toContain('eq .Values.graph.mode "emulator"');
    expect(template('secret.yaml')).toMatch(/if include "switchboard\.signaling\.generatesFlowWebhookSecret" \. \}\}\n\s+FLOW_WEBHOOK_SECRET: \{\{ \.Values\.signaling\.flowWebhookSecret\.secret \| b64enc \| quote \}\}/);
    expect(defineBody(helpers, 'switchboard.needsGeneratedSecret')).toContain('include "switchboard.signaling.generatesFlowWebhookSecret" .');
  });

  it('mounts the customer-webhook subscriptions from their Secret and names the file', () => {
    expect(helper('switchboard.signaling.volumes')).toMatch(
      /- name: customer-webhooks\n\s+secret:\n\s+secretName: \{\{ \.existingSecret \}\}\n\s+items:\n\s+- key: \{\{ \.fileKey \}\}\n\s+path: \{\{ \.fileKey \}\}/,
    );
    expect(helper('switchboard.signaling.env')).toContain(
      '- name: CUSTOMER_WEBHOOKS_FILE\n  value: {{ printf "%s/%s" (include "switchboard.signaling.customerWebhooksDir" .) $cw.fileKey | quote }}',
    );
    expect(helper('switchboard.signaling.volumeMounts')).toContain('mountPath: {{ include "switchboard.signaling.customerWebhooksDir" . }}');
  });

  it('refuses a claim lease that is not below the ack wait', () => {
    expect(helper('switchboard.signaling.env')).toMatch(/\{\{- if ge \(int \$o\.claimLeaseMs\) \(int \$o\.ackWaitMs\) \}\}\n\{\{- fail /);
  });

  it('writes numbers as integers (values arrive as floats, which print in exponent form)', () => {
    const numeric = env.filter((e) => /_MS$|_BYTES$|MAX_DELIVER$|CONCURRENCY$/.test(e.name)).map((e) => e.name);
    expect(numeric.length).toBeGreaterThanOrEqual(10);
    for (const name of numeric) expect(helper('switchboard.signaling.env')).toMatch(new RegExp(`- name: ${name}\\n  value: \\{\\{ int \\$`));
  });

  it('requires an API issuer in production, defaults it to the emulator otherwise, and shares the audience with the emulator', () => {
    const oidc = helper('switchboard.signaling.apiOidcUrl');
    expect(oidc).toContain('required "signaling.api.oidcUrl is required when graph.mode=production');
    expect(oidc).toContain('/%s/v2.0/.well-known/openid-configuration');
    expect(defineBody(allText, 'switchboard.emulatorEnv')).toContain('- name: EMULATOR_API_AUDIENCE\n  value: {{ .Values.signaling.api.audience | quote }}');
  });
});
