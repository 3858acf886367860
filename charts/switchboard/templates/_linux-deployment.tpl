{{/*
Deployment of a Node service on the Linux pool. Takes a dict:
  root       the chart context ($)
  component  component name (labels, resource names)
  values     the component's values (replicaCount, port, image, resources, extraEnv)
  env        extra rendered env entries (YAML list text), optional
  botIdentity  "true" to add the bot credential env and volumes
  probes     rendered probes (YAML text), optional; defaults to the /health/live + /health/ready HTTP probes
  annotations  extra pod annotations (map), optional
  volumeMounts / volumes  extra rendered entries (YAML list text), optional
  replicas   "false" to leave spec.replicas to an autoscaler
  config     "false" for a component without a ConfigMap (the emulator, whose env is all inline)
*/}}
{{- define "switchboard.linuxDeployment" -}}
{{- $root := .root -}}
{{- $v := .values -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "switchboard.componentName" . }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "switchboard.componentLabels" . | nindent 4 }}
spec:
  {{- if ne (toString .replicas) "false" }}
  replicas: {{ $v.replicaCount }}
  {{- end }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "switchboard.componentSelectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "switchboard.podLabels" . | nindent 8 }}
      annotations:
        {{- include "switchboard.podAnnotations" (dict "root" $root "component" .component "extra" .annotations) | nindent 8 }}
    spec:
      serviceAccountName: {{ include "switchboard.serviceAccountName" $root }}
      automountServiceAccountToken: false
      {{- include "switchboard.imagePullSecrets" $root | nindent 6 }}
      {{- include "switchboard.linux.scheduling" $root | nindent 6 }}
      securityContext:
        {{- include "switchboard.linux.podSecurityContext" $root | nindent 8 }}
      containers:
        - name: {{ .component }}
          image: {{ include "switchboard.image" (dict "root" $root "repository" $v.image.repository) | quote }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          securityContext:
            {{- include "switchboard.linux.containerSecurityContext" $root | nindent 12 }}
          ports:
            - name: http
              containerPort: {{ $v.port }}
              protocol: TCP
          {{- if ne (toString .config) "false" }}
          envFrom:
            - configMapRef:
                name: {{ include "switchboard.configMapName" . }}
          {{- end }}
          env:
            - name: HTTP_PORT
              value: {{ $v.port | quote }}
            {{- if ne (toString .config) "false" }}
            {{- include "switchboard.nats.clientEnv" . | nindent 12 }}
            {{- end }}
            {{- if eq (toString .botIdentity) "true" }}
            {{- include "switchboard.botCredentialEnv" $root | nindent 12 }}
            {{- end }}
            {{- with .env }}
            {{- . | nindent 12 }}
            {{- end }}
            {{- with $v.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          {{- if .probes }}
          {{- .probes | nindent 10 }}
          {{- else }}
          {{- include "switchboard.httpProbes" $root | nindent 10 }}
          {{- end }}
          resources:
            {{- toYaml $v.resources | nindent 12 }}
          volumeMounts:
            # readOnlyRootFilesystem: Node and its libraries may still need a scratch /tmp.
            - name: tmp
              mountPath: /tmp
            {{- if eq (toString .botIdentity) "true" }}
            {{- include "switchboard.botCredentialVolumeMounts" $root | nindent 12 }}
            {{- end }}
            {{- with .volumeMounts }}
            {{- . | nindent 12 }}
            {{- end }}
      volumes:
        - name: tmp
          emptyDir: {}
        {{- if eq (toString .botIdentity) "true" }}
        {{- include "switchboard.botCredentialVolumes" $root | nindent 8 }}
        {{- end }}
        {{- with .volumes }}
        {{- . | nindent 8 }}
        {{- end }}
{{- end }}

{{/*
The Service in front of a Linux component's `http` container port. Takes (dict "root" $ "component" "<name>" "port" <n>)
and optionally "type" (ClusterIP by default) and "portName" (http by default).
*/}}
{{- define "switchboard.linuxService" -}}
{{- $ctx := dict "root" .root "component" .component -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "switchboard.componentName" $ctx }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "switchboard.componentLabels" $ctx | nindent 4 }}
spec:
  type: {{ default "ClusterIP" .type }}
  selector:
    {{- include "switchboard.componentSelectorLabels" $ctx | nindent 4 }}
  ports:
    - name: {{ default "http" .portName }}
      port: {{ .port }}
      targetPort: http
      protocol: TCP
{{- end }}
