{{/* Names and labels. */}}
{{- define "ulm.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "ulm.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "ulm.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ulm.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "ulm.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "ulm.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* The image: the CUDA image when GPU serving is on, else the JVM image. */}}
{{- define "ulm.image" -}}
{{- if .Values.gpu.enabled -}}
{{- printf "%s:%s" .Values.gpu.image.repository (default (printf "%s-cuda12" .Chart.AppVersion) .Values.gpu.image.tag) -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/* The Secret holding ULM_DB_*, ULM_PRIVACY_MASTER_KEY and ULM_SECURITY_KEYS_*. */}}
{{- define "ulm.secretName" -}}
{{- if .Values.secrets.create -}}
{{- include "ulm.fullname" . -}}
{{- else -}}
{{- required "secrets.existingSecret is required when secrets.create is false" .Values.secrets.existingSecret -}}
{{- end -}}
{{- end -}}
