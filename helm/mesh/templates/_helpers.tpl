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

{{/*
A generated secret value, kept across upgrades: the value already in the Secret when there is one
(Helm's lookup; empty under `helm template` and `--dry-run`), else a new random one. Remembered for
the rest of the render, so every template that includes the Secret sees the same value (the
checksum annotations).
Call with (dict "root" $ "secret" "<name>" "key" "<key>" "length" 32).
*/}}
{{- define "mesh.keptSecretValue" -}}
{{- if not (hasKey .root "meshKeptSecretValues") }}
{{- $_ := set .root "meshKeptSecretValues" (dict) }}
{{- end }}
{{- $cache := get .root "meshKeptSecretValues" }}
{{- $id := printf "%s/%s" .secret .key }}
{{- if not (hasKey $cache $id) }}
{{- $existing := lookup "v1" "Secret" .root.Release.Namespace .secret }}
{{- $data := default (dict) (get (default (dict) $existing) "data") }}
{{- if hasKey $data .key }}
{{- $_ := set $cache $id (index $data .key | b64dec) }}
{{- else }}
{{- $_ := set $cache $id (randAlphaNum (int .length)) }}
{{- end }}
{{- end }}
{{- get $cache $id }}
{{- end }}

{{/* The registry token's Secret and key: the one named, else the chart's (given or generated). */}}
{{- define "mesh.registryTokenSecret" -}}
{{- if .Values.registry.existingSecret }}
{{- .Values.registry.existingSecret }}
{{- else }}
{{- printf "%s-registry-token" (include "mesh.fullname" .) }}
{{- end }}
{{- end }}

{{- define "mesh.registryTokenKey" -}}
{{- if .Values.registry.existingSecret }}{{ .Values.registry.tokenKey }}{{ else }}token{{ end }}
{{- end }}

{{/* Env entry of the registry token: always set, the registry never takes anonymous REST registrations. */}}
{{- define "mesh.registryTokenEnv" -}}
- name: MESH_REGISTRY_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ include "mesh.registryTokenSecret" . }}
      key: {{ include "mesh.registryTokenKey" . }}
{{- end }}

{{/* The bundled PostgreSQL's and Kafka's object names and addresses. */}}
{{- define "mesh.postgresqlName" -}}
{{- printf "%s-postgresql" (include "mesh.fullname" .) }}
{{- end }}
{{/* The Secret holding the bundled PostgreSQL's password, and its key: yours, or the chart's. */}}
{{- define "mesh.postgresqlSecret" -}}
{{- default (include "mesh.postgresqlName" .) .Values.postgresql.existingSecret }}
{{- end }}
{{- define "mesh.postgresqlPasswordKey" -}}
{{- if .Values.postgresql.existingSecret }}{{ .Values.postgresql.passwordKey }}{{ else }}password{{ end }}
{{- end }}
{{- define "mesh.postgresqlHost" -}}
{{- printf "%s.%s.svc.%s" (include "mesh.postgresqlName" .) .Release.Namespace .Values.clusterDomain }}
{{- end }}
{{- define "mesh.kafkaName" -}}
{{- printf "%s-kafka" (include "mesh.fullname" .) }}
{{- end }}
{{- define "mesh.kafkaHost" -}}
{{- printf "%s.%s.svc.%s" (include "mesh.kafkaName" .) .Release.Namespace .Values.clusterDomain }}
{{- end }}

{{/* The database Secret's name, or nothing when neither credentials nor an existing Secret are given (external PostgreSQL). */}}
{{- define "mesh.databaseSecret" -}}
{{- if .Values.database.existingSecret }}
{{- .Values.database.existingSecret }}
{{- else if or .Values.database.user .Values.database.password }}
{{- printf "%s-database" (include "mesh.fullname" .) }}
{{- end }}
{{- end }}

{{/*
Refuses the combinations that cannot mean what the user wants: an external database named while the
bundled one is on, or neither. Rendered (empty) by every template that needs the database.
*/}}
{{- define "mesh.checkDatabase" -}}
{{- $d := .Values.database }}
{{- if .Values.postgresql.enabled }}
{{- if or $d.url $d.user $d.password $d.existingSecret }}
{{- fail "database.url, database.user, database.password and database.existingSecret name an external PostgreSQL, but postgresql.enabled is true (the bundled one): set postgresql.enabled=false to use the external one, or remove the database.* values to use the bundled one" }}
{{- end }}
{{- else if not $d.url }}
{{- fail "database.url is required when postgresql.enabled is false: name the external PostgreSQL, e.g. --set database.url=postgresql://postgres.databases.svc.cluster.local:5432/mesh (or leave postgresql.enabled=true for the bundled one)" }}
{{- end }}
{{- end }}

{{/* Env entries of the database (gateway and tracker): the bundled PostgreSQL, or the external one. */}}
{{- define "mesh.databaseEnv" -}}
{{- include "mesh.checkDatabase" . }}
{{- if .Values.postgresql.enabled }}
- name: MESH_DATABASE_URL
  value: {{ printf "postgresql://%s:%v/%s" (include "mesh.postgresqlHost" .) .Values.postgresql.port .Values.postgresql.database | quote }}
- name: MESH_DATABASE_POOL_SIZE
  value: {{ .Values.database.poolSize | quote }}
- name: MESH_DATABASE_USER
  value: {{ .Values.postgresql.user | quote }}
- name: MESH_DATABASE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "mesh.postgresqlSecret" . }}
      key: {{ include "mesh.postgresqlPasswordKey" . }}
{{- else }}
- name: MESH_DATABASE_URL
  value: {{ .Values.database.url | quote }}
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
{{- end }}

{{/* The Kafka bootstrap servers: the bundled broker's Service, or kafka.bootstrap. */}}
{{- define "mesh.kafkaBootstrap" -}}
{{- if .Values.kafka.enabled }}
{{- if .Values.kafka.bootstrap }}
{{- fail (printf "kafka.bootstrap (%s) names an external Kafka, but kafka.enabled is true (the bundled broker): set kafka.enabled=false to use the external one, or remove kafka.bootstrap to use the bundled one" .Values.kafka.bootstrap) }}
{{- end }}
{{- printf "%s:%v" (include "mesh.kafkaHost" .) .Values.kafka.port }}
{{- else }}
{{- required "kafka.bootstrap is required when kafka.enabled is false: name the external Kafka for the tracker's hits, e.g. --set kafka.bootstrap=kafka.kafka.svc.cluster.local:9092 (or leave kafka.enabled=true for the bundled broker)" .Values.kafka.bootstrap }}
{{- end }}
{{- end }}

{{/* The first admin's password Secret and key (identity mode accounts): yours, or the chart's. */}}
{{- define "mesh.adminSecret" -}}
{{- default (printf "%s-admin" (include "mesh.fullname" .)) .Values.identity.admin.existingSecret }}
{{- end }}
{{- define "mesh.adminPasswordKey" -}}
{{- if .Values.identity.admin.existingSecret }}{{ .Values.identity.admin.passwordKey }}{{ else }}password{{ end }}
{{- end }}

{{/* MESH_SESSION_COOKIE_SECURE: the value given, else true exactly when the ingress has TLS. */}}
{{- define "mesh.sessionCookieSecure" -}}
{{- $secure := .Values.identity.sessionCookieSecure }}
{{- if kindIs "invalid" $secure }}
{{- if and .Values.ingress.enabled .Values.ingress.tlsSecretName }}true{{ else }}false{{ end }}
{{- else }}
{{- $secure }}
{{- end }}
{{- end }}

{{/*
Refuses identity set-ups that would let whoever reaches the gateway be whoever they like, unless
identity.allowInsecure is true: identity.mode=local (no sign-in), and MESH_IDENTITY_TRUST
`always` or `loopback`. In mode accounts, refuses the settings only mode local reads (they would do
nothing). Call with the merged env map of a component and the root: (dict "root" $ "env" $env).
*/}}
{{- define "mesh.checkIdentity" -}}
{{- $identity := .root.Values.identity }}
{{- if and (eq $identity.mode "local") (not $identity.allowInsecure) }}
{{- fail "identity.mode=local is refused: mode local has no sign-in. The gateway takes every request for MESH_IDENTITY_LOCAL_USER (empty in the chart, so everybody gets 401 and nobody can use Mesh; set a user and every visitor is that user, an editor), unless it believes the identity headers (MESH_IDENTITY_TRUST=always), which is safe only behind an authenticating proxy that sets and strips them. Keep identity.mode=accounts (the default: people sign in on the gateway's page, the first admin's password is in a Secret), or, behind such a proxy or for a one-person trial, set identity.allowInsecure=true" }}
{{- end }}
{{- /* as the gateway reads it: trimmed, in any case */}}
{{- $trust := default "never" (get .env "MESH_IDENTITY_TRUST") | toString | trim | lower }}
{{- if and (has $trust (list "always" "loopback")) (not $identity.allowInsecure) }}
{{- if eq $trust "always" }}
{{- fail "MESH_IDENTITY_TRUST=always is refused: the gateway would believe the identity headers (X-Forwarded-User and X-Forwarded-Groups unless renamed) from anybody who reaches it, so anybody could claim to be anybody, admins included. It is safe only when every request comes through an authenticating proxy that sets and strips those headers and nothing else can reach the gateway (a NetworkPolicy). If that is your set-up, say so with identity.mode=local and identity.allowInsecure=true" }}
{{- else }}
{{- fail "MESH_IDENTITY_TRUST=loopback is refused: it is the all-in-one's laptop mode. In a pod no browser is on loopback, so the identity headers are ignored and every visitor becomes MESH_IDENTITY_LOCAL_USER: with a local user set, everyone is that user. Leave MESH_IDENTITY_TRUST unset (never), or set identity.mode=local and identity.allowInsecure=true if you mean it" }}
{{- end }}
{{- end }}
{{- $localUser := default "" (get .env "MESH_IDENTITY_LOCAL_USER") | toString | trim }}
{{- if and (eq $identity.mode "accounts") (or (ne $trust "never") $localUser) }}
{{- fail (printf "MESH_IDENTITY_TRUST=%s and MESH_IDENTITY_LOCAL_USER=%q (env or <service>.env) are read only in identity.mode=local: in mode accounts (the chart's default) the gateway ignores the identity headers and has no local user, so they would do nothing. Remove them, or, for Mesh behind an authenticating proxy, set identity.mode=local and identity.allowInsecure=true" $trust $localUser) }}
{{- end }}
{{- end }}

{{/*
The identity settings the gateway gets. MESH_IDENTITY_MODE is identity.mode. MESH_IDENTITY_TRUST
defaults to `never` (the code's own default, `loopback`, is the all-in-one's) and
MESH_IDENTITY_LOCAL_USER to empty, in both modes, so that a request nobody vouches for never gets
the editor role. Mode accounts adds the first admin (the password from a Secret), the session
cookie's Secure flag, and MESH_ROLE_EDITORS empty unless env sets it, so that the role an admin
gives a person counts. Call with (dict "root" $ "env" $env).
*/}}
{{- define "mesh.identityEnv" -}}
{{- include "mesh.checkIdentity" . }}
{{- $identity := .root.Values.identity }}
- name: MESH_IDENTITY_MODE
  value: {{ $identity.mode | quote }}
- name: MESH_IDENTITY_TRUST
  value: {{ default "never" (get .env "MESH_IDENTITY_TRUST") | toString | quote }}
- name: MESH_IDENTITY_LOCAL_USER
  value: {{ default "" (get .env "MESH_IDENTITY_LOCAL_USER") | toString | quote }}
{{- if eq $identity.mode "accounts" }}
{{- /* the code's default `*` (everybody an editor, the all-in-one's) would outrank every role an
admin gives: here a person is what the admin says, unless env names editors */}}
- name: MESH_ROLE_EDITORS
  value: {{ default "" (get .env "MESH_ROLE_EDITORS") | toString | quote }}
- name: MESH_ACCOUNTS_ADMIN_USER
  value: {{ $identity.admin.user | quote }}
- name: MESH_ACCOUNTS_ADMIN_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "mesh.adminSecret" .root }}
      key: {{ include "mesh.adminPasswordKey" .root }}
- name: MESH_SESSION_COOKIE_SECURE
  value: {{ include "mesh.sessionCookieSecure" .root | quote }}
{{- end }}
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
{{ include "mesh.registryTokenEnv" . }}
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
