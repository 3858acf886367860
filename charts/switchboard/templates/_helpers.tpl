{{/*
Names and labels. Component helpers take (dict "root" $ "component" "<name>").
*/}}

{{- define "switchboard.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* <release>-<chart>, or the release name alone when it already contains the chart name. */}}
{{- define "switchboard.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "switchboard.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "switchboard.selectorLabels" -}}
app.kubernetes.io/name: {{ include "switchboard.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "switchboard.labels" -}}
helm.sh/chart: {{ include "switchboard.chart" . }}
{{ include "switchboard.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: switchboard
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "switchboard.componentSelectorLabels" -}}
{{ include "switchboard.selectorLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "switchboard.componentLabels" -}}
{{ include "switchboard.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/*
Pod template labels: without helm.sh/chart, so a new chart version that changes nothing in a pod does not
restart it (a media pod restart drains its calls). The version label follows the images' default tag.
*/}}
{{- define "switchboard.podLabels" -}}
{{ include "switchboard.componentSelectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: switchboard
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "switchboard.componentName" -}}
{{- printf "%s-%s" (include "switchboard.fullname" .root) .component | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "switchboard.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "switchboard.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Image reference; takes (dict "root" $ "repository" "<repo>"). The tag defaults to appVersion. */}}
{{- define "switchboard.image" -}}
{{- $tag := default .root.Chart.AppVersion .root.Values.image.tag }}
{{- if .root.Values.image.registry }}
{{- printf "%s/%s:%s" .root.Values.image.registry .repository $tag }}
{{- else }}
{{- printf "%s:%s" .repository $tag }}
{{- end }}
{{- end }}

{{- define "switchboard.imagePullSecrets" -}}
{{- with .Values.image.pullSecrets }}
imagePullSecrets:
{{- range . }}
  - name: {{ . }}
{{- end }}
{{- end }}
{{- end }}

{{/*
NATS_URL: the external URL, or the client Service of the nats subchart
(which names itself like this chart does: <release>-nats unless the release name contains "nats").
*/}}
{{- define "switchboard.natsUrl" -}}
{{- if eq .Values.nats.mode "external" }}
{{- required "nats.url is required when nats.mode=external" .Values.nats.url }}
{{- else }}
{{- $natsName := "nats" }}
{{- if contains $natsName .Release.Name }}
{{- printf "nats://%s:4222" (.Release.Name | trunc 63 | trimSuffix "-") }}
{{- else }}
{{- printf "nats://%s-%s:4222" .Release.Name $natsName | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* https base of the in-cluster Graph emulator (Graph, Entra and the callback OpenID configuration live there). */}}
{{- define "switchboard.emulatorUrl" -}}
{{- printf "https://%s:%d" (include "switchboard.componentName" (dict "root" . "component" "graph-emulator")) (int .Values.graph.emulator.port) }}
{{- end }}

{{- define "switchboard.signalingUrl" -}}
{{- printf "http://%s:%d" (include "switchboard.componentName" (dict "root" . "component" "signaling")) (int .Values.signaling.service.port) }}
{{- end }}

{{/* PUBLIC_CALLBACK_URL: set explicitly in production; in emulator mode it defaults to the in-cluster Service. */}}
{{- define "switchboard.publicCallbackUrl" -}}
{{- if .Values.graph.publicCallbackUrl }}
{{- .Values.graph.publicCallbackUrl }}
{{- else if eq .Values.graph.mode "emulator" }}
{{- printf "%s/api/calling" (include "switchboard.signalingUrl" .) }}
{{- else }}
{{- required "graph.publicCallbackUrl is required when graph.mode=production" .Values.graph.publicCallbackUrl }}
{{- end }}
{{- end }}

{{/* Name of the Secret the chart creates for credentials given as values (emulator and test setups). */}}
{{- define "switchboard.generatedSecretName" -}}
{{- printf "%s-credentials" (include "switchboard.fullname" .) }}
{{- end }}

{{/*
Pod annotations: checksum/config rolls a component's pods when its own ConfigMap or the generated Secret keys it
reads change (see _config.tpl). Takes (dict "root" $ "component" "<name>" "extra" <map>).
*/}}
{{- define "switchboard.podAnnotations" -}}
checksum/config: {{ include "switchboard.configChecksum" . }}
{{- with .root.Values.podAnnotations }}
{{ toYaml . }}
{{- end }}
{{- with .extra }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Security contexts, rendered per OS: Linux pods get the hardened set; on Windows only
runAsNonRoot and windowsOptions apply (the other fields are rejected or ignored there).
*/}}
{{- define "switchboard.linux.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1000
runAsGroup: 1000
fsGroup: 1000
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "switchboard.linux.containerSecurityContext" -}}
runAsNonRoot: true
readOnlyRootFilesystem: true
allowPrivilegeEscalation: false
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "switchboard.windows.securityContext" -}}
runAsNonRoot: true
windowsOptions:
  runAsUserName: ContainerUser
{{- end }}

{{/* Scheduling. The OS selector is merged last-wins so a user nodeSelector can never drop it. */}}
{{- define "switchboard.linux.scheduling" -}}
nodeSelector:
  {{- toYaml (merge (dict "kubernetes.io/os" "linux") .Values.linuxNodeSelector) | nindent 2 }}
{{- with .Values.linuxTolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{- define "switchboard.windows.scheduling" -}}
nodeSelector:
  {{- toYaml (merge (dict "kubernetes.io/os" "windows") .Values.media.nodeSelector) | nindent 2 }}
tolerations:
  - key: os
    operator: Equal
    value: windows
    effect: NoSchedule
{{- with .Values.media.tolerations }}
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* HTTP probes of the Linux services: /health/live for startup and liveness, /health/ready for readiness. */}}
{{- define "switchboard.httpProbes" -}}
{{- $p := .Values.probes -}}
startupProbe:
  httpGet:
    path: /health/live
    port: http
  periodSeconds: {{ $p.startup.periodSeconds }}
  timeoutSeconds: {{ $p.startup.timeoutSeconds }}
  failureThreshold: {{ $p.startup.failureThreshold }}
livenessProbe:
  httpGet:
    path: /health/live
    port: http
  periodSeconds: {{ $p.liveness.periodSeconds }}
  timeoutSeconds: {{ $p.liveness.timeoutSeconds }}
  failureThreshold: {{ $p.liveness.failureThreshold }}
readinessProbe:
  httpGet:
    path: /health/ready
    port: http
  periodSeconds: {{ $p.readiness.periodSeconds }}
  timeoutSeconds: {{ $p.readiness.timeoutSeconds }}
  failureThreshold: {{ $p.readiness.failureThreshold }}
{{- end }}

{{/* Bot credential env: a client secret from a Secret, or a mounted certificate plus its thumbprint. */}}
{{- define "switchboard.botCredentialEnv" -}}
{{- $c := .Values.graph.credentials -}}
{{- if eq $c.type "certificate" }}
- name: BOT_CERTIFICATE_PATH
  value: {{ printf "/var/run/secrets/switchboard/bot/%s" $c.certificateKey | quote }}
- name: BOT_CERTIFICATE_THUMBPRINT
  value: {{ required "graph.credentials.certificateThumbprint is required when type=certificate" $c.certificateThumbprint | quote }}
{{- else }}
- name: BOT_CLIENT_SECRET
  valueFrom:
    secretKeyRef:
      {{- if $c.existingSecret }}
      name: {{ $c.existingSecret }}
      key: {{ $c.clientSecretKey }}
      {{- else }}
      name: {{ include "switchboard.generatedSecretName" . }}
      key: BOT_CLIENT_SECRET
      {{- end }}
{{- end }}
{{- end }}

{{- define "switchboard.botCredentialVolumeMounts" -}}
{{- if eq .Values.graph.credentials.type "certificate" }}
- name: bot-certificate
  mountPath: /var/run/secrets/switchboard/bot
  readOnly: true
{{- end }}
{{- end }}

{{- define "switchboard.botCredentialVolumes" -}}
{{- $c := .Values.graph.credentials -}}
{{- if eq $c.type "certificate" }}
- name: bot-certificate
  secret:
    secretName: {{ required "graph.credentials.existingSecret is required when type=certificate" $c.existingSecret }}
    items:
      - key: {{ $c.certificateKey }}
        path: {{ $c.certificateKey }}
{{- end }}
{{- end }}

{{/* PodDisruptionBudget; takes (dict "root" $ "component" "<name>" "pdb" <values>). */}}
{{- define "switchboard.pdb" -}}
{{- if .pdb.enabled }}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "switchboard.componentName" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "switchboard.componentLabels" . | nindent 4 }}
spec:
  maxUnavailable: {{ .pdb.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "switchboard.componentSelectorLabels" . | nindent 6 }}
{{- end }}
{{- end }}

{{/* The bot's app id: the emulator's in emulator mode. */}}
{{- define "switchboard.botAppId" -}}
{{- if eq .Values.graph.mode "emulator" }}{{ .Values.graph.emulator.appId }}{{ else }}{{ .Values.graph.appId }}{{ end }}
{{- end }}

{{/* Where the bridge finds the media platform's certificate (tls.crt, tls.key) inside the Windows container. */}}
{{- define "switchboard.media.certificateDir" -}}
C:\switchboard\media-certificate
{{- end }}

{{/* "true" when media pods run the bridge: in production, unless switched off (the emulator feeds frames over gRPC). */}}
{{- define "switchboard.media.bridgeEnabled" -}}
{{- if and .Values.media.bridge.enabled (eq .Values.graph.mode "production") }}true{{ end }}
{{- end }}
