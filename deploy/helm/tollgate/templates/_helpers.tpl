{{- define "tollgate.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "tollgate.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "tollgate.labels" -}}
{{ include "tollgate.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "tollgate.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "tollgate.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The image reference: repository@digest or repository:tag, never latest. */}}
{{- define "tollgate.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag -}}
{{- if eq $tag "latest" -}}
{{- fail "image.tag: latest is refused; set the version test/image/build.sh stamped" -}}
{{- end -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end -}}
{{- end -}}

{{- define "tollgate.policiesConfigMap" -}}
{{- default (printf "%s-policies" (include "tollgate.fullname" .)) .Values.policies.existingConfigMap -}}
{{- end -}}

{{/* tollgate.yaml: the user's config, plus policy.dir and manifests. */}}
{{- define "tollgate.config" -}}
{{- $cfg := deepCopy .Values.config -}}
{{- if eq .Values.mode "sidecar" -}}
{{- $grpc := .Values.sidecar.grpc -}}
{{- if not (or (hasPrefix "127.0.0.1:" $grpc) (hasPrefix "[::1]:" $grpc)) -}}
{{- fail (printf "sidecar.grpc %q: a sidecar serves Check on loopback only (127.0.0.1:PORT), to its pod's Envoy" $grpc) -}}
{{- end -}}
{{- $listen := default dict $cfg.listen -}}
{{- $_ := set $listen "grpc" $grpc -}}
{{- if not (dig "mtls" "allowed_ids" list $listen) -}}
{{- $_ := unset $listen "mtls" -}}
{{- end -}}
{{- $_ := set $cfg "listen" $listen -}}
{{- else if eq .Values.mode "deployment" -}}
{{- if not (dig "listen" "mtls" "allowed_ids" list $cfg) -}}
{{- fail "config.listen.mtls.allowed_ids: name the Envoys allowed to call Check" -}}
{{- end -}}
{{- else -}}
{{- fail (printf "mode %q: want deployment or sidecar" .Values.mode) -}}
{{- end -}}
{{- if eq .Values.policies.source "configMap" -}}
{{- $_ := set $cfg "policy" (dict "dir" "/etc/tollgate-policies" "reload_interval" .Values.policies.reloadInterval "require_schema" .Values.policies.requireSchema) -}}
{{- else if eq .Values.policies.source "bundle" -}}
{{- if not (dig "policy" "bundle" "url" "" $cfg) -}}
{{- fail "policies.source bundle: set config.policy.bundle.url" -}}
{{- end -}}
{{- else -}}
{{- fail (printf "policies.source %q: want configMap or bundle" .Values.policies.source) -}}
{{- end -}}
{{- if .Values.manifests -}}
{{- $_ := set $cfg "manifests" (keys .Values.manifests | sortAlpha) -}}
{{- end -}}
{{- toYaml $cfg -}}
{{- end -}}
