import type { K8sObject } from './helm';

/** Typed views of rendered objects for assertions (only the fields the tests read). */
export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string };
    configMapKeyRef?: { name: string; key: string };
    fieldRef?: { fieldPath: string };
  };
}

export interface Probe {
  httpGet?: { path: string; port: string | number; scheme?: string };
  grpc?: { port: number; service?: string };
  periodSeconds?: number;
}

export interface Container {
  name: string;
  image: string;
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  ports?: { name: string; containerPort: number }[];
  securityContext?: Record<string, unknown>;
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  lifecycle?: { preStop?: { exec?: { command: string[] }; httpGet?: { path: string; port: string | number } } };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}

export interface Volume {
  name: string;
  secret?: { secretName: string; items?: { key: string; path: string }[] };
  configMap?: { name: string };
  emptyDir?: Record<string, unknown>;
}

export interface PodSpec {
  nodeSelector?: Record<string, string>;
  tolerations?: { key?: string; operator?: string; value?: string; effect?: string }[];
  securityContext?: Record<string, unknown>;
  containers: Container[];
  volumes?: Volume[];
  terminationGracePeriodSeconds?: number;
  serviceAccountName?: string;
}

export interface PodTemplate {
  metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
  spec: PodSpec;
}

export interface Workload extends K8sObject {
  spec: {
    replicas?: number;
    selector: { matchLabels: Record<string, string> };
    template: PodTemplate;
    serviceName?: string;
    podManagementPolicy?: string;
  };
}

export interface ServiceObject extends K8sObject {
  spec: {
    type?: string;
    clusterIP?: string;
    selector: Record<string, string>;
    externalTrafficPolicy?: string;
    ports: { name: string; port: number; targetPort: string | number }[];
  };
}

export class Rendered {
  constructor(readonly objects: K8sObject[]) {}

  ofKind<T extends K8sObject = K8sObject>(kind: string): T[] {
    return this.objects.filter((o) => o.kind === kind) as T[];
  }

  find<T extends K8sObject = K8sObject>(kind: string, name: string): T | undefined {
    return this.objects.find((o) => o.kind === kind && o.metadata.name === name) as T | undefined;
  }

  get<T extends K8sObject = K8sObject>(kind: string, name: string): T {
    const found = this.find<T>(kind, name);
    if (!found) throw new Error(`${kind}/${name} was not rendered; rendered: ${this.objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
    return found;
  }

  /** The Deployment or StatefulSet of a component (by its app.kubernetes.io/component label). */
  workload(component: string): Workload {
    const found = this.objects.find(
      (o) => (o.kind === 'Deployment' || o.kind === 'StatefulSet') && o.metadata.labels?.['app.kubernetes.io/component'] === component,
    );
    if (!found) throw new Error(`no workload for component ${component}`);
    return found as Workload;
  }

  workloads(): Workload[] {
    return this.objects.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet') as Workload[];
  }

  /** Env of a container with its ConfigMap (envFrom) entries resolved, as name -> entry. */
  env(container: Container): Map<string, EnvVar> {
    const env = new Map<string, EnvVar>();
    for (const source of container.envFrom ?? []) {
      if (!source.configMapRef) continue;
      const configMap = this.get<K8sObject & { data: Record<string, string> }>('ConfigMap', source.configMapRef.name);
      for (const [name, value] of Object.entries(configMap.data ?? {})) env.set(name, { name, value });
    }
    for (const entry of container.env ?? []) env.set(entry.name, entry);
    return env;
  }
}

export const container = (workload: Workload, name: string): Container => {
  const found = workload.spec.template.spec.containers.find((c) => c.name === name);
  if (!found) throw new Error(`${workload.metadata.name} has no container ${name}`);
  return found;
};

/** True when every selector label is on the pod labels. */
export const selects = (selector: Record<string, string>, labels: Record<string, string>): boolean =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);
