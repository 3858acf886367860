{{/*
Configuration per component. Each component gets its own ConfigMap with only the settings it reads, and its pods
carry a checksum of exactly that ConfigMap plus the generated Secret keys it reads: a change of signaling's
settings rolls signaling, never the media pods (a media pod stop drains its calls).
*/}}

{{/* The components that carry the bot identity (Entra app credentials): the two that call Graph. */}}
{{- define "switchboard.botComponents" -}}
{{- toJson (list "signaling" "meeting-join") -}}
{{- end }}

{{/* The components that serve a public REST API (bearer tokens from the `api` issuer). */}}
{{- define "switchboard.apiComponents" -}}
{{- toJson (list "signaling" "meeting-join" "recording-compliance") -}}
{{- end }}

{{/* API_AUTH_OIDC_URL: the value; in emulator mode an empty value means the emulator's tenant issuer. */}}
{{- define "switchboard.apiOidcUrl" -}}
{{- $api := .Values.api -}}
{{- if $api.oidcUrl }}
{{- $api.oidcUrl }}
{{- else if eq .Values.graph.mode "emulator" }}
{{- printf "%s/%s/v2.0/.well-known/openid-configuration" (include "switchboard.emulatorUrl" .) .Values.graph.emulator.tenantId }}
{{- else }}
{{- required "api.oidcUrl is required when graph.mode=production and api.enabled=true" $api.oidcUrl }}
{{- end }}
{{- end }}

{{/* The components that connect to NATS, with their values key. */}}
{{- define "switchboard.natsComponents" -}}
{{- toJson (dict "signaling" "signaling" "meeting-join" "meetingJoin" "recording-compliance" "recordingCompliance" "media" "media") -}}
{{- end }}

{{- define "switchboard.configMapName" -}}
{{- printf "%s-config" (include "switchboard.componentName" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* ConfigMap data of a component (YAML map); takes (dict "root" $ "component" "<name>"). */}}
{{- define "switchboard.configData" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
{{- $emulator := eq $v.graph.mode "emulator" -}}
NATS_URL: {{ include "switchboard.natsUrl" $root | quote }}
NATS_NAMESPACE: {{ $v.nats.namespace | quote }}
LOG_LEVEL: {{ $v.logLevel | quote }}
{{- if $v.nats.auth.enabled }}
NATS_USER: {{ (index $v.nats.auth.users .component).user | quote }}
{{- end }}
{{- if has .component (include "switchboard.botComponents" . | fromJsonArray) }}
{{- if $emulator }}
GRAPH_BASE_URL: {{ printf "%s/v1.0" (include "switchboard.emulatorUrl" $root) | quote }}
AUTHORITY_HOST: {{ include "switchboard.emulatorUrl" $root | quote }}
BOT_APP_ID: {{ $v.graph.emulator.appId | quote }}
BOT_TENANT_ID: {{ $v.graph.emulator.tenantId | quote }}
{{- else }}
GRAPH_BASE_URL: {{ $v.graph.baseUrl | quote }}
AUTHORITY_HOST: {{ $v.graph.authorityHost | quote }}
BOT_APP_ID: {{ required "graph.appId is required when graph.mode=production" $v.graph.appId | quote }}
BOT_TENANT_ID: {{ required "graph.tenantId is required when graph.mode=production" $v.graph.tenantId | quote }}
{{- end }}
{{- end }}
{{- if has .component (include "switchboard.apiComponents" . | fromJsonArray) }}
API_AUTH_AUDIENCE: {{ $v.api.audience | quote }}
{{- if $v.api.enabled }}
API_AUTH_OIDC_URL: {{ include "switchboard.apiOidcUrl" $root | quote }}
{{- end }}
{{- end }}
{{- if eq .component "signaling" }}
PUBLIC_CALLBACK_URL: {{ include "switchboard.publicCallbackUrl" $root | quote }}
{{- if $emulator }}
CALLBACK_OIDC_URL: {{ printf "%s/botframework/v1/.well-known/OpenIdConfiguration" (include "switchboard.emulatorUrl" $root) | quote }}
{{- else }}
CALLBACK_OIDC_URL: {{ $v.graph.callbackOidcUrl | quote }}
{{- end }}
{{- if $v.graph.promptUri }}
PROMPT_URI: {{ $v.graph.promptUri | quote }}
{{- else if $emulator }}
# The emulator serves any prompt name as a short WAV.
PROMPT_URI: {{ printf "%s/emulator/prompts/welcome.wav" (include "switchboard.emulatorUrl" $root) | quote }}
{{- else }}
PROMPT_URI: {{ required "graph.promptUri is required when graph.mode=production" $v.graph.promptUri | quote }}
{{- end }}
{{- end }}
{{- if eq .component "recording-compliance" }}
{{- $policy := $v.recordingCompliance.policy }}
POLICY_MEDIA: {{ $policy.media | quote }}
POLICY_PARTICIPANT_CAPACITY: {{ $policy.participantCapacity | quote }}
RECORDING_FAILURE_POLICY: {{ $policy.onRecordingFailure | quote }}
TENANT_RECORDING_FAILURE_POLICIES: {{ $policy.tenantOnRecordingFailure | toJson | quote }}
{{- end }}
{{- end }}

{{/*
Plain-text data of the Secret the chart creates for credentials given as values (emulator and test setups), as a
YAML map; empty when production points everything at existing Secrets.
*/}}
{{- define "switchboard.generatedSecretData" -}}
{{- $v := .Values -}}
{{- $c := $v.graph.credentials -}}
{{- if and (eq $c.type "clientSecret") (not $c.existingSecret) }}
BOT_CLIENT_SECRET: {{ required "graph.credentials.clientSecret or graph.credentials.existingSecret is required" $c.clientSecret | quote }}
{{- end }}
{{- if and $v.recordingCompliance.enabled (not $v.recordingCompliance.blob.existingSecret) $v.recordingCompliance.blob.connectionString }}
BLOB_CONNECTION_STRING: {{ $v.recordingCompliance.blob.connectionString | quote }}
{{- end }}
{{- if include "switchboard.signaling.generatesFlowWebhookSecret" . }}
FLOW_WEBHOOK_SECRET: {{ $v.signaling.flowWebhookSecret.secret | quote }}
{{- end }}
{{- end }}

{{/*
BLOB_CONNECTION_STRING for the components that write or read recordings (recording-compliance, and signaling for
service-hosted recordings), from recordingCompliance.blob; empty when no storage is configured.
*/}}
{{- define "switchboard.blobConnectionEnv" -}}
{{- $blob := .Values.recordingCompliance.blob -}}
{{- if and .Values.recordingCompliance.enabled (or $blob.existingSecret $blob.connectionString) -}}
- name: BLOB_CONNECTION_STRING
  valueFrom:
    secretKeyRef:
      name: {{ default (include "switchboard.generatedSecretName" .) $blob.existingSecret }}
      key: {{ ternary $blob.existingSecretKey "BLOB_CONNECTION_STRING" (ne $blob.existingSecret "") }}
{{- end -}}
{{- end }}

{{/* Keys of the generated Secret a component reads. */}}
{{- define "switchboard.generatedSecretKeys" -}}
{{- $keys := list -}}
{{- if or (has .component (include "switchboard.botComponents" . | fromJsonArray)) (eq .component "graph-emulator") }}
{{- $keys = append $keys "BOT_CLIENT_SECRET" }}
{{- end }}
{{- if eq .component "signaling" }}
{{- $keys = append $keys "FLOW_WEBHOOK_SECRET" }}
{{- end }}
{{- if or (eq .component "recording-compliance") (eq .component "media") (eq .component "signaling") }}
{{- $keys = append $keys "BLOB_CONNECTION_STRING" }}
{{- end }}
{{- toJson $keys -}}
{{- end }}

{{/*
checksum/config of a component: its ConfigMap data and the generated Secret keys it reads.
Takes (dict "root" $ "component" "<name>").
*/}}
{{- define "switchboard.configChecksum" -}}
{{- $secret := include "switchboard.generatedSecretData" .root | fromYaml | default dict -}}
{{- $config := dict -}}
{{- if ne .component "graph-emulator" }}
{{- $config = include "switchboard.configData" . | fromYaml }}
{{- end }}
{{- $nats := include "switchboard.nats.generatedSecretData" .root | fromYaml | default dict -}}
{{- $picked := dict -}}
{{- range include "switchboard.generatedSecretKeys" . | fromJsonArray }}
{{- if hasKey $secret . }}{{ $_ := set $picked . (get $secret .) }}{{ end }}
{{- end }}
{{- toJson (dict "config" $config "secret" $picked "natsPassword" (get $nats .component)) | sha256sum -}}
{{- end }}

{{/*
NATS users. The Secret with the passwords (one key per service) is named from the release name and values both
this chart and the nats subchart see, so the same helper names it in both.
*/}}
{{- define "switchboard.nats.generatesPasswords" -}}
{{- $a := .Values.nats.auth -}}
{{- if and $a.enabled (not $a.existingSecret) }}true{{ end }}
{{- end }}

{{/* Passwords the chart puts in its NATS users Secret (one key per service), as a YAML map. */}}
{{- define "switchboard.nats.generatedSecretData" -}}
{{- if include "switchboard.nats.generatesPasswords" . }}
{{- range $component, $_ := include "switchboard.natsComponents" . | fromJson }}
{{ $component }}: {{ required (printf "nats.auth.passwords.%s is required without nats.auth.existingSecret" $component) (index $.Values.nats.auth.passwords $component) | quote }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Secret with the services' NATS passwords, one key per service name. Takes (dict "release" <release name> "auth"
<nats.auth values>): the nats subchart calls it too, where the parent's fullname is not known.
*/}}
{{- define "switchboard.nats.passwordSecretName" -}}
{{- default (printf "%s-nats-users" .release | trunc 63 | trimSuffix "-") .auth.existingSecret }}
{{- end }}

{{/* NATS_PASSWORD env entry of a component; empty without nats.auth. */}}
{{- define "switchboard.nats.clientEnv" -}}
{{- $a := .root.Values.nats.auth -}}
{{- if $a.enabled }}
- name: NATS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "switchboard.nats.passwordSecretName" (dict "release" .root.Release.Name "auth" $a) }}
      key: {{ .component }}
{{- end }}
{{- end }}

{{/* A subject with the NATS namespace prefix; JetStream API, KV, object store and inbox subjects stay as they are. */}}
{{- define "switchboard.nats.subject" -}}
{{- if or (hasPrefix "$" .subject) (hasPrefix "_INBOX" .subject) (not .namespace) }}{{ .subject }}{{ else }}{{ printf "%s.%s" .namespace .subject }}{{ end }}
{{- end }}

{{/*
nats.conf additions for the nats subchart: one account with JetStream and one user per service. Runs in the nats
chart's context (through `$tplYaml` in values.yaml), where .Values is this chart's `nats` block.
*/}}
{{- define "switchboard.natsServer.config" -}}
{{- $a := .Values.auth -}}
{{- if $a.enabled }}
{{- $ns := .Values.namespace -}}
{{- $shared := list "$JS.API.>" "$JS.ACK.>" "$JS.FC.>" "$KV.>" "$O.>" "_INBOX.>" -}}
accounts:
  SWITCHBOARD:
    jetstream: enabled
    users:
      {{- range $component, $_ := include "switchboard.natsComponents" . | fromJson }}
      {{- $u := index $a.users $component }}
      - user: {{ $u.user | quote }}
        password: {{ printf "<< $NATS_PASSWORD_%s >>" ($component | upper | replace "-" "_") | quote }}
        permissions:
          publish:
            allow:
              {{- range $u.publish }}
              - {{ include "switchboard.nats.subject" (dict "subject" . "namespace" $ns) | quote }}
              {{- end }}
              {{- range $shared }}
              - {{ . | quote }}
              {{- end }}
          subscribe:
            allow:
              {{- range $u.subscribe }}
              - {{ include "switchboard.nats.subject" (dict "subject" . "namespace" $ns) | quote }}
              {{- end }}
              - "_INBOX.>"
      {{- end }}
{{- else -}}
{}
{{- end }}
{{- end }}

{{/* Env of the nats server container: each service's password from the Secret, for the `$NATS_PASSWORD_*` references. */}}
{{- define "switchboard.natsServer.env" -}}
{{- $a := .Values.auth -}}
{{- if $a.enabled }}
{{- $secret := include "switchboard.nats.passwordSecretName" (dict "release" .Release.Name "auth" $a) }}
{{- range $component, $_ := include "switchboard.natsComponents" . | fromJson }}
{{ printf "NATS_PASSWORD_%s" ($component | upper | replace "-" "_") }}:
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $component }}
{{- end }}
{{- else -}}
{}
{{- end }}
{{- end }}
