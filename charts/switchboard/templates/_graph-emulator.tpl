{{/* Env of the in-cluster Graph emulator (its EMULATOR_* settings). */}}
{{- define "switchboard.emulatorEnv" -}}
{{- $e := .Values.graph.emulator -}}
{{- $c := .Values.graph.credentials -}}
# Listen on the pod IP; the certificate and the URLs it hands out name the Service.
- name: EMULATOR_HOST
  value: "0.0.0.0"
- name: EMULATOR_PUBLIC_HOST
  value: {{ include "switchboard.componentName" (dict "root" . "component" "graph-emulator") | quote }}
- name: EMULATOR_PORT
  value: {{ $e.port | quote }}
# The root filesystem is read-only: keys and the certificate live in the /tmp volume.
- name: EMULATOR_STATE_DIR
  value: /tmp/emulator
- name: EMULATOR_LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
- name: EMULATOR_BOT_WEBHOOK_URL
  value: {{ include "switchboard.publicCallbackUrl" . | quote }}
- name: EMULATOR_BOT_APP_ID
  value: {{ $e.appId | quote }}
- name: EMULATOR_TENANT_ID
  value: {{ $e.tenantId | quote }}
# Tokens the emulator issues for the call-control API carry the audience signaling checks.
- name: EMULATOR_API_AUDIENCE
  value: {{ .Values.api.audience | quote }}
{{- if eq $c.type "clientSecret" }}
# The emulator's token endpoint checks the same client secret the services present.
- name: EMULATOR_BOT_CLIENT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ default (include "switchboard.generatedSecretName" .) $c.existingSecret }}
      key: {{ ternary $c.clientSecretKey "BOT_CLIENT_SECRET" (ne $c.existingSecret "") }}
{{- end }}
{{- end }}

{{/* HTTPS probes on the emulator's own health route (the kubelet does not verify probe certificates). */}}
{{- define "switchboard.emulatorProbes" -}}
{{- $p := .Values.probes -}}
{{- range $probe := list "startup" "liveness" "readiness" }}
{{ $probe }}Probe:
  httpGet:
    path: /emulator/health
    port: http
    scheme: HTTPS
  periodSeconds: {{ (index $p $probe).periodSeconds }}
  timeoutSeconds: {{ (index $p $probe).timeoutSeconds }}
  failureThreshold: {{ (index $p $probe).failureThreshold }}
{{- end }}
{{- end }}
