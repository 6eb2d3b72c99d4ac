{{/*
The Tollgate container and its volumes, shared by the Deployment and the
sidecar patch. Called with a dict: root (the chart's context), p (a prefix
for volume names: "" in the Deployment, "tollgate-" in an app's pod, so that
they never merge with the app's volumes) and sidecar (bool).
*/}}
{{- define "tollgate.container" -}}
{{- $ := .root -}}
{{- $admin := ternary "tollgate-admin" "admin" .sidecar -}}
name: tollgate
image: {{ include "tollgate.image" $ }}
imagePullPolicy: {{ $.Values.image.pullPolicy }}
args: ["serve", "--config", "/etc/tollgate/tollgate.yaml"]
ports:
  {{- if not .sidecar }}
  - { name: grpc, containerPort: 9191 }
  {{- end }}
  - { name: {{ $admin }}, containerPort: 9192 }
readinessProbe:
  httpGet: { path: /readyz, port: {{ $admin }} }
  periodSeconds: 5
livenessProbe:
  httpGet: { path: /healthz, port: {{ $admin }} }
  periodSeconds: 10
resources:
  {{- toYaml $.Values.resources | nindent 2 }}
# Locked down on the container itself, so it stays so in an app's pod.
securityContext:
  runAsNonRoot: true
  runAsUser: 65532
  runAsGroup: 65532
  readOnlyRootFilesystem: true
  allowPrivilegeEscalation: false
  privileged: false
  capabilities: { drop: [ALL] }
  seccompProfile: { type: RuntimeDefault }
volumeMounts:
  - { name: {{ .p }}config, mountPath: /etc/tollgate, readOnly: true }
  - { name: {{ .p }}spiffe-workload-api, mountPath: /spiffe-workload-api, readOnly: true }
  {{- if eq $.Values.policies.source "configMap" }}
  - { name: {{ .p }}policies, mountPath: /etc/tollgate-policies, readOnly: true }
  {{- else }}
  - { name: {{ .p }}cache, mountPath: /var/lib/tollgate }
  {{- if $.Values.policies.publicKeysSecret }}
  - { name: {{ .p }}keys, mountPath: /etc/tollgate-keys, readOnly: true }
  {{- end }}
  {{- end }}
{{- end -}}

{{- define "tollgate.volumes" -}}
{{- $ := .root -}}
- name: {{ .p }}config
  configMap: { name: {{ include "tollgate.fullname" $ }}-config }
{{- if eq $.Values.policies.source "configMap" }}
- name: {{ .p }}policies
  configMap: { name: {{ include "tollgate.policiesConfigMap" $ }} }
{{- else }}
- name: {{ .p }}cache
  emptyDir: {}
{{- if $.Values.policies.publicKeysSecret }}
- name: {{ .p }}keys
  secret: { secretName: {{ $.Values.policies.publicKeysSecret }} }
{{- end }}
{{- end }}
- name: {{ .p }}spiffe-workload-api
{{- if eq $.Values.spire.mount "csi" }}
  csi: { driver: csi.spiffe.io, readOnly: true }
{{- else if eq $.Values.spire.mount "hostPath" }}
  hostPath: { path: {{ $.Values.spire.hostPath }}, type: Directory }
{{- else }}
{{- fail (printf "spire.mount %q: want csi or hostPath" $.Values.spire.mount) }}
{{- end }}
{{- end -}}

{{/* The sidecar patch: a strategic-merge patch adding Tollgate to the app's Deployment. */}}
{{- define "tollgate.sidecarPatch" -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ required "sidecar.deployment: name the Deployment to add Tollgate to" .Values.sidecar.deployment }}
  namespace: {{ .Release.Namespace }}
spec:
  template:
    metadata:
      annotations:
        # A config change rolls the pods; policies reload in place.
        checksum/tollgate-config: {{ include "tollgate.config" . | sha256sum }}
    spec:
      containers:
        - {{- include "tollgate.container" (dict "root" . "p" "tollgate-" "sidecar" true) | nindent 10 }}
      volumes:
        {{- include "tollgate.volumes" (dict "root" . "p" "tollgate-") | nindent 8 }}
{{- end -}}
