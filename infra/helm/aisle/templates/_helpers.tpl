{{/*
Names. Truncated to 63 chars: Kubernetes name fields are DNS labels.
*/}}
{{- define "aisle.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "aisle.fullname" -}}
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

{{- define "aisle.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels. Call with (dict "ctx" $ "component" "api").
*/}}
{{- define "aisle.selectorLabels" -}}
app.kubernetes.io/name: {{ include "aisle.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "aisle.labels" -}}
helm.sh/chart: {{ include "aisle.chart" .ctx }}
{{ include "aisle.selectorLabels" . }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: aisle
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
{{- end }}

{{/*
Images.
*/}}
{{- define "aisle.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{- define "aisle.gpuImage" -}}
{{- printf "%s:%s" .Values.gpuImage.repository (default .Chart.AppVersion .Values.gpuImage.tag) }}
{{- end }}

{{/*
Where the in-chart services live, or the external URLs that replace them.
*/}}
{{- define "aisle.qdrantUrl" -}}
{{- if .Values.qdrant.enabled }}
{{- printf "http://%s-qdrant:6333" (include "aisle.fullname" .) }}
{{- else }}
{{- required "qdrant.externalUrl is required when qdrant.enabled=false" .Values.qdrant.externalUrl }}
{{- end }}
{{- end }}

{{- define "aisle.llmBaseUrl" -}}
{{- if .Values.vllm.enabled }}
{{- printf "http://%s-vllm:%v/v1" (include "aisle.fullname" .) .Values.vllm.port }}
{{- else }}
{{- required "llm.baseUrl is required when vllm.enabled=false" .Values.llm.baseUrl }}
{{- end }}
{{- end }}

{{- define "aisle.secretName" -}}
{{- default (printf "%s-env" (include "aisle.fullname" .)) .Values.existingSecret }}
{{- end }}

{{/*
Non-secret AISLE_* settings, as YAML map entries (ConfigMap data).
*/}}
{{- define "aisle.configEnv" -}}
AISLE_ENV: {{ .Values.config.env | quote }}
AISLE_DATA_DIR: {{ .Values.config.dataDir | quote }}
AISLE_QDRANT_URL: {{ include "aisle.qdrantUrl" . | quote }}
AISLE_LLM_BASE_URL: {{ include "aisle.llmBaseUrl" . | quote }}
AISLE_LLM_MODEL: {{ required "llm.model is required" .Values.llm.model | quote }}
AISLE_CLIP_MODEL: {{ .Values.config.clipModel | quote }}
AISLE_CLIP_WEIGHTS: {{ .Values.config.clipWeights | quote }}
{{- with .Values.config.semanticModelPath }}
AISLE_SEMANTIC_MODEL_PATH: {{ . | quote }}
{{- end }}
{{- end }}

{{/*
Secret AISLE_* settings (Secret stringData). URLs carry credentials.
*/}}
{{- define "aisle.secretEnv" -}}
AISLE_DATABASE_URL: {{ required "database.url is required" .Values.database.url | quote }}
AISLE_BROKER_URL: {{ required "broker.url is required" .Values.broker.url | quote }}
AISLE_LLM_API_KEY: {{ required "llm.apiKey is required" .Values.llm.apiKey | quote }}
{{- end }}

{{/*
Environment and volumes shared by every Aisle container (api, workers).
*/}}
{{- define "aisle.envFrom" -}}
- configMapRef:
    name: {{ include "aisle.fullname" . }}-config
- secretRef:
    name: {{ include "aisle.secretName" . }}
{{- end }}

{{- define "aisle.volumeMounts" -}}
- name: data
  mountPath: {{ .Values.config.dataDir }}
- name: models
  mountPath: {{ .Values.models.mountPath }}
  readOnly: true
- name: tmp
  mountPath: /tmp
{{- end }}

{{- define "aisle.volumes" -}}
- name: data
  persistentVolumeClaim:
    claimName: {{ default (printf "%s-data" (include "aisle.fullname" .)) .Values.data.existingClaim }}
- name: models
  {{- toYaml .Values.models.volume | nindent 2 }}
- name: tmp
  emptyDir: {}
{{- end }}

{{/*
Roll pods when their configuration changes (envFrom is read only at start).
*/}}
{{- define "aisle.configChecksums" -}}
checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
checksum/secret: {{ include (print .Template.BasePath "/secret.yaml") . | sha256sum }}
{{- end }}
