import { parse } from 'yaml';
import {
  checkGoTemplateBalance,
  defineBody,
  definedTemplates,
  hasPath,
  includedTemplates,
  loadChart,
  valuesReferences,
  yamlSkeleton,
} from './index';
import { CHART_DIR } from './lib/paths';

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
  'EMULATOR_BOT_CLIENT_SECRET',
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
