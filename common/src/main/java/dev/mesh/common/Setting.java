package dev.mesh.common;

/**
 * Every configuration key the code reads. The README's configuration table and the Helm chart are
 * checked against this list, so a key exists in exactly one place.
 */
public enum Setting {
  CONFIG_FILE(
      "MESH_CONFIG_FILE",
      "",
      "Optional JSON file with any of these keys; environment variables override it."),
  DATA_DIR(
      "MESH_DATA_DIR",
      "mesh-data",
      "Folder where the all-in-one keeps the embedded PostgreSQL and Kafka data, so a restart loses nothing."),
  BIND_HOST("MESH_BIND_HOST", "0.0.0.0", "Interface the HTTP servers listen on."),
  ADVERTISED_HOST(
      "MESH_ADVERTISED_HOST",
      "127.0.0.1",
      "Host other members use to reach this process's HTTP ports (the pod IP on Kubernetes)."),
  GATEWAY_PORT("MESH_GATEWAY_PORT", "8080", "The gateway's port: the one origin browsers talk to."),
  REGISTRY_PORT(
      "MESH_REGISTRY_PORT", "8081", "The registry's own HTTP port (reached through the gateway)."),
  TRACKER_PORT("MESH_TRACKER_PORT", "8082", "The tracker's own HTTP port."),
  WIDGET_HOST_PORT("MESH_WIDGET_HOST_PORT", "8083", "The widget-host's own HTTP port."),
  CLUSTER_NAME(
      "MESH_CLUSTER_NAME",
      "mesh",
      "Hazelcast cluster name; only members with the same name join each other."),
  CLUSTER_JOIN(
      "MESH_CLUSTER_JOIN",
      "tcp",
      "How members find each other: `tcp` (the member list below) or `kubernetes` (DNS lookup of a headless service)."),
  CLUSTER_HOST(
      "MESH_CLUSTER_HOST",
      "127.0.0.1",
      "Address Hazelcast binds and advertises (`tcp` join). Loopback keeps a laptop cluster private."),
  CLUSTER_PORT(
      "MESH_CLUSTER_PORT", "5701", "First Hazelcast port; the next free one is taken when busy."),
  CLUSTER_MEMBERS(
      "MESH_CLUSTER_MEMBERS",
      "127.0.0.1",
      "Comma-separated `host` or `host:port` of members to join (`tcp` join); a host alone is tried on ports 5701 to 5710."),
  CLUSTER_K8S_SERVICE_DNS(
      "MESH_CLUSTER_K8S_SERVICE_DNS",
      "",
      "Headless service DNS name (`kubernetes` join), e.g. `mesh-cluster.mesh.svc.cluster.local`."),
  CLUSTER_MEMBER_TIMEOUT_SECONDS(
      "MESH_CLUSTER_MEMBER_TIMEOUT_SECONDS",
      "5",
      "Seconds without a heartbeat before a member is declared dead and its widgets expire."),
  EVENTBUS_PORT(
      "MESH_EVENTBUS_PORT",
      "0",
      "Event-bus TCP port (0 = any free port; pin it on Kubernetes so a NetworkPolicy can allow it)."),
  METRICS_HTTP_SERVER(
      "MESH_METRICS_HTTP_SERVER",
      "true",
      "Per-request HTTP server meters on `/metrics` (`vertx_http_server_*`: requests, times and sizes by method and code). `false` saves about a fifth of the collector's CPU per pixel (docs/benchmarks.md); the tracker still counts every hit by outcome."),
  DATABASE_URL(
      "MESH_DATABASE_URL",
      "",
      "PostgreSQL URL `postgresql://host:port/db`. Empty in the all-in-one: an embedded PostgreSQL is started under the data folder."),
  DATABASE_USER("MESH_DATABASE_USER", "", "PostgreSQL user (overrides the one in the URL)."),
  DATABASE_PASSWORD(
      "MESH_DATABASE_PASSWORD", "", "PostgreSQL password (overrides the one in the URL)."),
  DATABASE_POOL_SIZE("MESH_DATABASE_POOL_SIZE", "8", "Connections per service's PostgreSQL pool."),
  IDENTITY_MODE(
      "MESH_IDENTITY_MODE",
      "local",
      "How the gateway tells who is calling: `local` (no sign-in: the local user, or the identity headers as `MESH_IDENTITY_TRUST` says) or `accounts` (built-in people and groups in PostgreSQL, a sign-in page, sessions shared by every gateway; identity headers are ignored). docs/identity.md."),
  IDENTITY_TRUST(
      "MESH_IDENTITY_TRUST",
      "loopback",
      "When to believe the identity headers: `loopback` (only from this machine: the all-in-one's way to try several users), `always` (behind an authenticating proxy) or `never`."),
  IDENTITY_USER_HEADER(
      "MESH_IDENTITY_USER_HEADER",
      "X-Forwarded-User",
      "Request header naming the signed-in user (oauth2-proxy's by default)."),
  IDENTITY_GROUPS_HEADER(
      "MESH_IDENTITY_GROUPS_HEADER",
      "X-Forwarded-Groups",
      "Request header with the user's groups, comma separated."),
  IDENTITY_LOCAL_USER(
      "MESH_IDENTITY_LOCAL_USER",
      "local",
      "User assumed when no trusted header names one; empty = such requests get 401."),
  ROLE_ADMINS(
      "MESH_ROLE_ADMINS",
      "",
      "Comma-separated users or groups with the admin role: they see and may change or delete every layout."),
  ROLE_EDITORS(
      "MESH_ROLE_EDITORS",
      "*",
      "Comma-separated users or groups with the editor role (may create, clone and import layouts); `*` = everybody; the others are viewers."),
  ACCOUNTS_ADMIN_USER(
      "MESH_ACCOUNTS_ADMIN_USER",
      "admin",
      "Mode `accounts`: name of the first admin, created at start while no admin exists."),
  ACCOUNTS_ADMIN_PASSWORD(
      "MESH_ACCOUNTS_ADMIN_PASSWORD",
      "",
      "Mode `accounts`: the first admin's password (10 to 200 characters; required in that mode, used only while no admin exists). Give it from a secret."),
  ACCOUNTS_MAX_FAILED_SIGN_INS(
      "MESH_ACCOUNTS_MAX_FAILED_SIGN_INS",
      "5",
      "Mode `accounts`: failed sign-ins in a row that lock an account for `MESH_ACCOUNTS_LOCK_MINUTES`."),
  ACCOUNTS_LOCK_MINUTES(
      "MESH_ACCOUNTS_LOCK_MINUTES",
      "15",
      "Mode `accounts`: how long a locked account refuses every sign-in (an admin's password reset unlocks it)."),
  SESSION_TIMEOUT_MINUTES(
      "MESH_SESSION_TIMEOUT_MINUTES",
      "480",
      "Mode `accounts`: minutes without a request after which a session ends and its person signs in again."),
  SESSION_COOKIE_SECURE(
      "MESH_SESSION_COOKIE_SECURE",
      "false",
      "Mode `accounts`: send the session cookie over HTTPS only (`true` behind TLS, as on Kubernetes with an ingress)."),
  LAYOUTS_DIR(
      "MESH_LAYOUTS_DIR",
      "",
      "Folder of layout export files provisioned at start as read-only layouts, one per file, kept by file name; empty = none."),
  LAYOUT_MAX_BYTES(
      "MESH_LAYOUT_MAX_BYTES",
      "262144",
      "Largest layout request body or provisioned layout file, in bytes (413 beyond)."),
  REGISTRY_TOKEN(
      "MESH_REGISTRY_TOKEN",
      "",
      "Bearer token required for REST registrations; empty means no token is asked. Cluster members are trusted. A sidecar sends it."),
  REGISTRY_REQUIRE_TOKEN(
      "MESH_REGISTRY_REQUIRE_TOKEN",
      "false",
      "`true`: every REST registration needs a bearer token even when `MESH_REGISTRY_TOKEN` is empty, so a deployment can take teams' tokens only (created by an admin in the gateway, each registering only its team's widgets; docs/registry.md)."),
  REGISTRY_TTL_SECONDS(
      "MESH_REGISTRY_TTL_SECONDS", "30", "How long a REST registration lives without a heartbeat."),
  REGISTRY_SWEEP_MILLIS(
      "MESH_REGISTRY_SWEEP_MILLIS",
      "1000",
      "How often the registry looks for expired registrations and records of departed members."),
  REGISTRY_MAX_BODY_BYTES(
      "MESH_REGISTRY_MAX_BODY_BYTES", "65536", "Largest manifest accepted (413 beyond)."),
  WIDGET_HOST_MODE(
      "MESH_WIDGET_HOST_MODE",
      "serve",
      "`serve`: serve widget folders and register them as a cluster member; `sidecar`: register the widgets of `MESH_SIDECAR_MANIFEST` through the registry's REST API, without joining the cluster."),
  WIDGETS_DIR(
      "MESH_WIDGETS_DIR",
      "widgets",
      "Folder the widget-host watches: each sub-folder with a `manifest.json` is a widget, added, changed or removed without a restart. Empty = none."),
  WIDGET_EXAMPLES(
      "MESH_WIDGET_EXAMPLES",
      "true",
      "Serve and register the example widgets built into the widget-host (`true` or `false`)."),
  WIDGETS_SCAN_MILLIS(
      "MESH_WIDGETS_SCAN_MILLIS",
      "500",
      "How often the widget-host looks at its folder; a changed widget is registered once it stayed the same for one look."),
  WIDGETS_PUBLIC_URL(
      "MESH_WIDGETS_PUBLIC_URL",
      "/w",
      "Prefix of the file URLs in the manifests a widget-host registers: the gateway's `/w` (one origin for the browser), or the widget-host's own or a CDN's URL."),
  SIDECAR_MANIFEST(
      "MESH_SIDECAR_MANIFEST",
      "",
      "Sidecar mode: JSON file holding one manifest or an array of them, whose URLs point at the neighbour container."),
  REGISTRY_URL(
      "MESH_REGISTRY_URL",
      "http://127.0.0.1:8080",
      "Sidecar mode: base URL of the registry's REST API (the gateway, or the registry service itself)."),
  CSP_INLINE_STYLES(
      "MESH_CSP_INLINE_STYLES",
      "false",
      "Let pages use `<style>` elements (`style-src 'unsafe-inline'`) for widgets whose framework injects them (Vue, Svelte custom elements); scripts stay strict either way."),
  KAFKA_BOOTSTRAP(
      "MESH_KAFKA_BOOTSTRAP",
      "",
      "Kafka bootstrap servers `host:port,...`. Empty in the all-in-one: an embedded single-node broker (KRaft) is started, its data under the data folder."),
  KAFKA_EMBEDDED_PORT(
      "MESH_KAFKA_EMBEDDED_PORT",
      "9092",
      "Port of the all-in-one's embedded Kafka broker (used when `MESH_KAFKA_BOOTSTRAP` is empty), for a second JVM or Kafka tools."),
  KAFKA_TIMEOUT_MILLIS(
      "MESH_KAFKA_TIMEOUT_MILLIS",
      "10000",
      "How long a Kafka request may take; after that the tracker treats the broker as unreachable and keeps hits in its buffer."),
  TRACKER_QUERY_PORT(
      "MESH_TRACKER_QUERY_PORT",
      "8084",
      "The tracker's query API port (`/api/tracker/...`, reached through the gateway)."),
  TRACKER_PIXEL_PATH(
      "MESH_TRACKER_PIXEL_PATH",
      "/m/s.gif",
      "Path of the tracking pixel on the gateway and the tracker; pick a neutral name, ad blockers block obvious ones."),
  TRACKER_SCRIPT_PATH("MESH_TRACKER_SCRIPT_PATH", "/m/s.js", "Path of the tracking script."),
  TRACKER_BEACON_PATH(
      "MESH_TRACKER_BEACON_PATH",
      "/m/e",
      "Path the tracking script posts page views and custom events to (JSON beacon)."),
  TRACKER_SITES(
      "MESH_TRACKER_SITES",
      "",
      "Comma-separated site ids the collector accepts; empty accepts any id of 1 to 100 lower-case letters, digits, '.', '-' or '_'."),
  TRACKER_PROXY_HOPS(
      "MESH_TRACKER_PROXY_HOPS",
      "1",
      "Proxies in front of the collector that append to `X-Forwarded-For`: the gateway is one, add one per ingress or load balancer before it. The client is the entry that many from the end, which a client cannot forge."),
  TRACKER_HONOUR_DNT(
      "MESH_TRACKER_HONOUR_DNT",
      "false",
      "Drop (and count) hits from browsers that send `DNT: 1`."),
  TRACKER_MAX_BEACON_BYTES(
      "MESH_TRACKER_MAX_BEACON_BYTES", "8192", "Largest beacon body accepted (413 beyond)."),
  TRACKER_TOPIC(
      "MESH_TRACKER_TOPIC",
      "mesh.tracker.hits",
      "Kafka topic of the hits, created by the tracker with unlimited retention (the projections are rebuilt from it)."),
  TRACKER_TOPIC_PARTITIONS(
      "MESH_TRACKER_TOPIC_PARTITIONS",
      "3",
      "Partitions of the hits topic when the tracker creates it: how many tracker instances share the projection work."),
  TRACKER_BUFFER_HITS(
      "MESH_TRACKER_BUFFER_HITS",
      "10000",
      "Hits a tracker instance keeps while Kafka is unreachable (or slow); beyond that new hits are dropped and counted."),
  TRACKER_PROJECTIONS(
      "MESH_TRACKER_PROJECTIONS",
      "1",
      "Comma-separated projection versions this instance builds from the topic, e.g. `1,2` while version 2 is rebuilt beside version 1."),
  TRACKER_ACTIVE_PROJECTION(
      "MESH_TRACKER_ACTIVE_PROJECTION", "1", "Projection version the query API answers from."),
  TRACKER_QUERY_BACKEND(
      "MESH_TRACKER_QUERY_BACKEND",
      "postgres",
      "Where the query API reads: `postgres` (the projections) or `pinot` (the real-time table fed by the same topic)."),
  PINOT_BROKER_URL(
      "MESH_PINOT_BROKER_URL",
      "http://127.0.0.1:8099",
      "Pinot broker base URL, whose SQL endpoint (`/query/sql`) the `pinot` query backend asks."),
  PINOT_CONTROLLER_URL(
      "MESH_PINOT_CONTROLLER_URL",
      "http://127.0.0.1:9000",
      "Pinot controller base URL, where `pinot-setup` creates the schema and the real-time table."),
  PINOT_TABLE(
      "MESH_PINOT_TABLE", "mesh_hits", "Name of the Pinot schema and real-time table of the hits.");

  private final String key;
  private final String defaultValue;
  private final String description;

  Setting(String key, String defaultValue, String description) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  public String key() {
    return key;
  }

  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }
}
