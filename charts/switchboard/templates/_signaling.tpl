{{/*
Signaling's own settings: call orchestration, the call-control API, IVR flows and customer webhooks.
The names are the variables signaling's configuration reads.
*/}}

{{/* Where the flows ConfigMap is mounted; the routing file sits in it under the key "routing". */}}
{{- define "switchboard.signaling.flowsDir" -}}
/etc/switchboard/flows
{{- end }}

{{- define "switchboard.signaling.customerWebhooksDir" -}}
/var/run/secrets/switchboard/customer-webhooks
{{- end }}

{{/*
Where the flows come from: "chart" (files + routing given as values), "existing" (existingConfigMap) or ""
(no ROUTING_FILE: the built-in welcome flow).
*/}}
{{- define "switchboard.signaling.flowsSource" -}}
{{- $f := .Values.signaling.flows -}}
{{- if $f.existingConfigMap }}
{{- if or $f.files $f.routing }}
{{- fail "signaling.flows: set either existingConfigMap or files/routing, not both" }}
{{- end -}}
existing
{{- else if $f.routing -}}
chart
{{- else if $f.files }}
{{- fail "signaling.flows.files needs signaling.flows.routing, which names the flow each call gets" }}
{{- end }}
{{- end }}

{{- define "switchboard.signaling.flowsConfigMapName" -}}
{{- default (include "switchboard.componentName" (dict "root" . "component" "signaling-flows")) .Values.signaling.flows.existingConfigMap }}
{{- end }}

{{/*
The routing file as mounted. Its flowsDir is relative to the routing file, and the flow files sit next to it:
a missing flowsDir becomes "." (signaling's own default, "flows", would name a folder that is not there).
*/}}
{{- define "switchboard.signaling.routingText" -}}
{{- $text := .Values.signaling.flows.routing -}}
{{- $parsed := fromYaml $text -}}
{{- if hasKey $parsed "Error" }}
{{- fail (printf "signaling.flows.routing must be a YAML mapping: %s" $parsed.Error) }}
{{- end }}
{{- if hasKey $parsed "flowsDir" }}
{{- if not (has (toString $parsed.flowsDir) (list "." "./" (include "switchboard.signaling.flowsDir" .))) }}
{{- fail (printf "signaling.flows.routing: flowsDir %q would not find the mounted flow files; leave it out or set it to \".\"" (toString $parsed.flowsDir)) }}
{{- end }}
{{- $text }}
{{- else -}}
flowsDir: .
{{ $text }}
{{- end }}
{{- end }}

{{/* True ("true") when FLOW_WEBHOOK_SECRET comes from the Secret the chart creates (emulator mode only). */}}
{{- define "switchboard.signaling.generatesFlowWebhookSecret" -}}
{{- $s := .Values.signaling.flowWebhookSecret -}}
{{- if and (eq .Values.graph.mode "emulator") (not $s.existingSecret) $s.secret }}true{{ end }}
{{- end }}

{{/* Container env of signaling beyond the shared ConfigMap. Numbers go through int: values arrive as floats. */}}
{{- define "switchboard.signaling.env" -}}
{{- $s := .Values.signaling -}}
{{- $o := $s.orchestration -}}
{{- if ge (int $o.claimLeaseMs) (int $o.ackWaitMs) }}
{{- fail (printf "signaling.orchestration.claimLeaseMs (%d) must be below ackWaitMs (%d), or a redelivery could race a live claim" (int $o.claimLeaseMs) (int $o.ackWaitMs)) }}
{{- end -}}
- name: KEEPALIVE_INTERVAL_MS
  value: {{ int $s.keepAliveIntervalMs | quote }}
- name: WEBHOOK_BODY_LIMIT_BYTES
  value: {{ int $s.webhookBodyLimitBytes | quote }}
- name: CLAIM_LEASE_MS
  value: {{ int $o.claimLeaseMs | quote }}
- name: ACK_WAIT_MS
  value: {{ int $o.ackWaitMs | quote }}
- name: MAX_DELIVER
  value: {{ int $o.maxDeliver | quote }}
- name: CONSUMER_CONCURRENCY
  value: {{ int $o.consumerConcurrency | quote }}
- name: CONSUMER_PREFETCH
  value: {{ int $o.consumerPrefetch | quote }}
- name: ADMISSION_MAX_INPUT_DELAY_MS
  value: {{ int $o.admissionMaxInputDelayMs | quote }}
{{- if .Values.media.enabled }}
{{- /* Media pods report `<pod name>:<port>` as their gRPC target; the StatefulSet's headless Service gives each a DNS name. */}}
- name: MEDIA_POD_HOST
  value: {{ printf "{pod}.%s-headless.%s.svc" (include "switchboard.componentName" (dict "root" $ "component" "media")) .Release.Namespace | quote }}
{{- end }}
{{- with include "switchboard.blobConnectionEnv" . }}
{{ . }}
{{- end }}
{{- if include "switchboard.signaling.flowsSource" . }}
- name: ROUTING_FILE
  value: {{ printf "%s/routing" (include "switchboard.signaling.flowsDir" .) | quote }}
{{- end }}
{{- $fw := $s.flowWebhookSecret }}
{{- if $fw.existingSecret }}
- name: FLOW_WEBHOOK_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ $fw.existingSecret }}
      key: {{ $fw.existingSecretKey }}
{{- else if include "switchboard.signaling.generatesFlowWebhookSecret" . }}
- name: FLOW_WEBHOOK_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ include "switchboard.generatedSecretName" . }}
      key: FLOW_WEBHOOK_SECRET
{{- end }}
{{- $cw := $s.customerWebhooks }}
{{- if $cw.existingSecret }}
- name: CUSTOMER_WEBHOOKS_FILE
  value: {{ printf "%s/%s" (include "switchboard.signaling.customerWebhooksDir" .) $cw.fileKey | quote }}
- name: CUSTOMER_WEBHOOKS_TIMEOUT_MS
  value: {{ int $cw.timeoutMs | quote }}
- name: CUSTOMER_WEBHOOKS_MAX_DELIVER
  value: {{ int $cw.maxDeliver | quote }}
- name: CUSTOMER_WEBHOOKS_BACKOFF_BASE_MS
  value: {{ int $cw.backoffBaseMs | quote }}
- name: CUSTOMER_WEBHOOKS_BACKOFF_MAX_MS
  value: {{ int $cw.backoffMaxMs | quote }}
{{- end }}
{{- end }}

{{/* Read-only mounts: the flows folder and the customer-webhook subscriptions file. */}}
{{- define "switchboard.signaling.volumeMounts" -}}
{{- if include "switchboard.signaling.flowsSource" . }}
- name: flows
  mountPath: {{ include "switchboard.signaling.flowsDir" . }}
  readOnly: true
{{- end }}
{{- if .Values.signaling.customerWebhooks.existingSecret }}
- name: customer-webhooks
  mountPath: {{ include "switchboard.signaling.customerWebhooksDir" . }}
  readOnly: true
{{- end }}
{{- end }}

{{- define "switchboard.signaling.volumes" -}}
{{- if include "switchboard.signaling.flowsSource" . }}
- name: flows
  configMap:
    name: {{ include "switchboard.signaling.flowsConfigMapName" . }}
{{- end }}
{{- with .Values.signaling.customerWebhooks }}
{{- if .existingSecret }}
- name: customer-webhooks
  secret:
    secretName: {{ .existingSecret }}
    items:
      - key: {{ .fileKey }}
        path: {{ .fileKey }}
{{- end }}
{{- end }}
{{- end }}

{{/* checksum/flows rolls the signaling pods when the chart-made flows ConfigMap changes. */}}
{{- define "switchboard.signaling.podAnnotations" -}}
{{- if eq (include "switchboard.signaling.flowsSource" .) "chart" }}
checksum/flows: {{ include (print .Template.BasePath "/signaling-flows.yaml") . | sha256sum }}
{{- end }}
{{- end }}
