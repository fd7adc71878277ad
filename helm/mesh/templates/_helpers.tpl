{{/* Names, labels and the settings shared by the templates. */}}

{{- define "mesh.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Prefix of every object's name: <release>-<chart>, or the release alone when it already names the chart. */}}
{{- define "mesh.fullname" -}}
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

{{- define "mesh.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every object. */}}
{{- define "mesh.labels" -}}
helm.sh/chart: {{ include "mesh.chart" . }}
app.kubernetes.io/name: {{ include "mesh.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: mesh
{{- end }}

{{/* Selector labels of one component; call with (dict "root" $ "component" "gateway"). */}}
{{- define "mesh.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mesh.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/*
The label every Hazelcast member carries, and only members: the headless Service and the
NetworkPolicies select it. Its value names the cluster (one per release).
*/}}
{{- define "mesh.clusterLabelKey" -}}mesh.dev/cluster{{- end }}
{{- define "mesh.clusterLabel" -}}
{{ include "mesh.clusterLabelKey" . }}: {{ include "mesh.fullname" . }}
{{- end }}

{{- define "mesh.clusterName" -}}
{{- default (include "mesh.fullname" .) .Values.cluster.name }}
{{- end }}

{{/* The headless Service whose DNS name lists the members' pod IPs. */}}
{{- define "mesh.clusterService" -}}
{{- printf "%s-cluster" (include "mesh.fullname" .) }}
{{- end }}

{{- define "mesh.gatewayUrl" -}}
{{- printf "http://%s-gateway.%s.svc.%s:%v" (include "mesh.fullname" .) .Release.Namespace .Values.clusterDomain .Values.gateway.service.port }}
{{- end }}

{{- define "mesh.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "mesh.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Image of a Mesh service; call with (dict "root" $ "repository" "mesh-gateway"). */}}
{{- define "mesh.image" -}}
{{- printf "%s%s:%s" .root.Values.image.registry .repository (default .root.Chart.AppVersion .root.Values.image.tag) }}
{{- end }}

{{/* The registry token's Secret and key, or nothing when no token is configured. */}}
{{- define "mesh.registryTokenSecret" -}}
{{- if .Values.registry.existingSecret }}
{{- .Values.registry.existingSecret }}
{{- else if .Values.registry.token }}
{{- printf "%s-registry-token" (include "mesh.fullname" .) }}
{{- end }}
{{- end }}

{{- define "mesh.registryTokenKey" -}}
{{- if .Values.registry.existingSecret }}{{ .Values.registry.tokenKey }}{{ else }}token{{ end }}
{{- end }}

{{/* Env entry of the registry token, when one is configured. */}}
{{- define "mesh.registryTokenEnv" -}}
{{- $secret := include "mesh.registryTokenSecret" . }}
{{- if $secret }}
- name: MESH_REGISTRY_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ include "mesh.registryTokenKey" . }}
{{- end }}
{{- end }}

{{/* The database Secret's name, or nothing when neither credentials nor an existing Secret are given. */}}
{{- define "mesh.databaseSecret" -}}
{{- if .Values.database.existingSecret }}
{{- .Values.database.existingSecret }}
{{- else if or .Values.database.user .Values.database.password }}
{{- printf "%s-database" (include "mesh.fullname" .) }}
{{- end }}
{{- end }}

{{/* Env entries of the external PostgreSQL (gateway and tracker). */}}
{{- define "mesh.databaseEnv" -}}
- name: MESH_DATABASE_URL
  value: {{ required "database.url is required: Mesh on Kubernetes needs an external PostgreSQL, e.g. --set database.url=postgresql://postgres.db:5432/mesh" .Values.database.url | quote }}
- name: MESH_DATABASE_POOL_SIZE
  value: {{ .Values.database.poolSize | quote }}
{{- $secret := include "mesh.databaseSecret" . }}
{{- if $secret }}
{{- $existing := .Values.database.existingSecret }}
{{- if or $existing .Values.database.user }}
- name: MESH_DATABASE_USER
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ if $existing }}{{ .Values.database.userKey }}{{ else }}user{{ end }}
{{- end }}
{{- if or $existing .Values.database.password }}
- name: MESH_DATABASE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ if $existing }}{{ .Values.database.passwordKey }}{{ else }}password{{ end }}
{{- end }}
{{- end }}
{{- end }}

{{- define "mesh.kafkaBootstrap" -}}
{{- required "kafka.bootstrap is required: Mesh on Kubernetes needs an external Kafka for the tracker's hits, e.g. --set kafka.bootstrap=kafka.kafka:9092" .Values.kafka.bootstrap }}
{{- end }}

{{/*
Env entries every cluster member gets: Kubernetes DNS join through the headless Service, the
pod IP as the address other members and the gateway use, the pinned ports.
*/}}
{{- define "mesh.clusterEnv" -}}
- name: MESH_CLUSTER_NAME
  value: {{ include "mesh.clusterName" . | quote }}
- name: MESH_CLUSTER_JOIN
  value: kubernetes
- name: MESH_CLUSTER_K8S_SERVICE_DNS
  value: {{ printf "%s.%s.svc.%s" (include "mesh.clusterService" .) .Release.Namespace .Values.clusterDomain | quote }}
- name: MESH_CLUSTER_PORT
  value: {{ .Values.cluster.hazelcastPort | quote }}
- name: MESH_EVENTBUS_PORT
  value: {{ .Values.cluster.eventBusPort | quote }}
- name: MESH_CLUSTER_MEMBER_TIMEOUT_SECONDS
  value: {{ .Values.cluster.memberTimeoutSeconds | quote }}
- name: MESH_CLUSTER_HOST
  valueFrom:
    fieldRef:
      fieldPath: status.podIP
- name: MESH_ADVERTISED_HOST
  valueFrom:
    fieldRef:
      fieldPath: status.podIP
{{- end }}

{{/* Env entries from a map of MESH_* settings, sorted by name. */}}
{{- define "mesh.envMap" -}}
{{- range $name := keys . | sortAlpha }}
- name: {{ $name }}
  value: {{ index $ $name | toString | quote }}
{{- end }}
{{- end }}

{{/* The volume and mount every container writes to: the root file system is read-only. */}}
{{- define "mesh.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpSizeLimit }}
{{- end }}
{{- define "mesh.tmpMount" -}}
- name: tmp
  mountPath: /tmp
{{- end }}

{{/* Probes on the port named "http", which serves /health/live and /health/ready. */}}
{{- define "mesh.probes" -}}
startupProbe:
  httpGet:
    path: /health/live
    port: http
  periodSeconds: {{ .Values.probes.startup.periodSeconds }}
  failureThreshold: {{ .Values.probes.startup.failureThreshold }}
livenessProbe:
  httpGet:
    path: /health/live
    port: http
  periodSeconds: {{ .Values.probes.liveness.periodSeconds }}
  timeoutSeconds: {{ .Values.probes.liveness.timeoutSeconds }}
  failureThreshold: {{ .Values.probes.liveness.failureThreshold }}
readinessProbe:
  httpGet:
    path: /health/ready
    port: http
  periodSeconds: {{ .Values.probes.readiness.periodSeconds }}
  timeoutSeconds: {{ .Values.probes.readiness.timeoutSeconds }}
  failureThreshold: {{ .Values.probes.readiness.failureThreshold }}
{{- end }}

{{/* The four cluster members: values key, component name, the setting of their HTTP port. */}}
{{- define "mesh.components" -}}
- {key: gateway, name: gateway}
- {key: registry, name: registry}
- {key: tracker, name: tracker}
- {key: widgetHost, name: widget-host}
{{- end }}

{{/* Settings only the chart sets; the env maps must not name them (values.schema.json says so too). */}}
{{- define "mesh.gateway.env" -}}
- name: MESH_GATEWAY_PORT
  value: {{ .Values.gateway.port | quote }}
{{ include "mesh.databaseEnv" . }}
{{- if or .Values.gateway.layouts .Values.gateway.layoutsConfigMap }}
- name: MESH_LAYOUTS_DIR
  value: /etc/mesh/layouts
{{- end }}
{{- end }}

{{- define "mesh.registry.env" -}}
- name: MESH_REGISTRY_PORT
  value: {{ .Values.registry.port | quote }}
{{- include "mesh.registryTokenEnv" . }}
{{- end }}

{{- define "mesh.tracker.env" -}}
- name: MESH_TRACKER_PORT
  value: {{ .Values.tracker.port | quote }}
- name: MESH_TRACKER_QUERY_PORT
  value: {{ .Values.tracker.queryPort | quote }}
{{ include "mesh.databaseEnv" . }}
- name: MESH_KAFKA_BOOTSTRAP
  value: {{ include "mesh.kafkaBootstrap" . | quote }}
- name: MESH_TRACKER_TOPIC
  value: {{ .Values.tracker.topic | quote }}
- name: MESH_TRACKER_PROXY_HOPS
  value: {{ (ternary (add1 (ternary 1 0 .Values.ingress.enabled)) .Values.tracker.proxyHops (kindIs "invalid" .Values.tracker.proxyHops)) | quote }}
- name: MESH_TRACKER_QUERY_BACKEND
  value: {{ .Values.tracker.queryBackend | quote }}
{{- if eq .Values.tracker.queryBackend "pinot" }}
- name: MESH_PINOT_BROKER_URL
  value: {{ required "pinot.brokerUrl is required when tracker.queryBackend is pinot" .Values.pinot.brokerUrl | quote }}
- name: MESH_PINOT_TABLE
  value: {{ .Values.pinot.table | quote }}
{{- end }}
{{- end }}

{{- define "mesh.widget-host.env" -}}
- name: MESH_WIDGET_HOST_PORT
  value: {{ .Values.widgetHost.port | quote }}
- name: MESH_WIDGET_HOST_MODE
  value: serve
- name: MESH_WIDGET_EXAMPLES
  value: {{ .Values.widgetHost.examples | quote }}
- name: MESH_WIDGETS_DIR
  value: {{ if .Values.widgetHost.widgetsVolume }}/var/lib/mesh/widgets{{ else }}""{{ end }}
{{- end }}

{{/* Container ports besides the cluster's: "http" always serves the health routes. */}}
{{- define "mesh.httpPorts" -}}
{{- $values := index .root.Values .key }}
- name: http
  containerPort: {{ $values.port }}
{{- if eq .key "tracker" }}
- name: query
  containerPort: {{ $values.queryPort }}
{{- end }}
{{- end }}
