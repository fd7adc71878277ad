package dev.mesh.helm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The little of a Kubernetes API server that Helm's {@code lookup} asks: the v1 resource list and
 * {@code GET} of one Secret. There is no API server here, and helm-java's {@code template} (unlike
 * the helm CLI's) sends the chart's lookups to the cluster of the kubeconfig; the surefire
 * configuration points {@code KUBECONFIG} at the file this writes. Secrets put here play the ones
 * an earlier install left in the namespace, so {@code helm upgrade} can be rendered as it would
 * run. Nothing else of Kubernetes is imitated: every other path answers 404.
 */
final class KubeApiStandIn {

  private static final Pattern SECRET =
      Pattern.compile("^/api/v1/namespaces/([^/]+)/secrets/([^/]+)$");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static KubeApiStandIn shared;

  private final HttpServer server;
  private final Map<String, Map<String, String>> secrets = new ConcurrentHashMap<>();
  private final List<String> asked = new CopyOnWriteArrayList<>();

  private KubeApiStandIn() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::answer);
    server.start();
  }

  /** The one stand-in of this JVM, started and named in the kubeconfig at first use. */
  static synchronized KubeApiStandIn shared() {
    if (shared == null) {
      try {
        shared = new KubeApiStandIn();
        String kubeconfig = System.getenv("KUBECONFIG");
        if (kubeconfig == null || kubeconfig.isBlank()) {
          throw new IllegalStateException(
              "KUBECONFIG is not set: run the tests through Maven (helm/pom.xml sets it)");
        }
        Path file = Path.of(kubeconfig);
        Files.createDirectories(file.getParent());
        Files.writeString(
            file,
            """
            apiVersion: v1
            kind: Config
            clusters:
              - name: stand-in
                cluster: {server: "http://127.0.0.1:%d"}
            contexts:
              - name: stand-in
                context: {cluster: stand-in, user: stand-in}
            current-context: stand-in
            users:
              - name: stand-in
                user: {token: stand-in}
            """
                .formatted(shared.server.getAddress().getPort()));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shared.server.stop(0)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return shared;
  }

  /** A Secret of the namespace, as an earlier install left it: plain values, encoded when sent. */
  void putSecret(String namespace, String name, Map<String, String> data) {
    secrets.put(namespace + "/" + name, Map.copyOf(data));
  }

  /** Forgets every Secret: the namespace of a first install. */
  void clear() {
    secrets.clear();
    asked.clear();
  }

  /** The paths of the Secrets asked for since the last {@link #clear()}. */
  List<String> asked() {
    return List.copyOf(asked);
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (!exchange.getRequestMethod().equals("GET")) {
        send(exchange, 405, status(405, "MethodNotAllowed", "the stand-in only reads"));
        return;
      }
      if (path.equals("/api/v1")) {
        send(
            exchange,
            200,
            Map.of(
                "kind",
                "APIResourceList",
                "apiVersion",
                "v1",
                "groupVersion",
                "v1",
                "resources",
                List.of(
                    Map.of(
                        "name",
                        "secrets",
                        "singularName",
                        "secret",
                        "namespaced",
                        true,
                        "kind",
                        "Secret",
                        "verbs",
                        List.of("get")))));
        return;
      }
      Matcher secret = SECRET.matcher(path);
      if (secret.matches()) {
        String key = secret.group(1) + "/" + secret.group(2);
        asked.add(key);
        Map<String, String> data = secrets.get(key);
        if (data == null) {
          send(
              exchange,
              404,
              status(404, "NotFound", "secrets \"" + secret.group(2) + "\" not found"));
          return;
        }
        Map<String, String> encoded = new LinkedHashMap<>();
        data.forEach(
            (k, v) ->
                encoded.put(
                    k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        send(
            exchange,
            200,
            Map.of(
                "apiVersion",
                "v1",
                "kind",
                "Secret",
                "metadata",
                Map.of("name", secret.group(2), "namespace", secret.group(1)),
                "type",
                "Opaque",
                "data",
                encoded));
        return;
      }
      send(exchange, 404, status(404, "NotFound", "the stand-in serves Secrets only: " + path));
    }
  }

  private static Map<String, Object> status(int code, String reason, String message) {
    return Map.of(
        "kind",
        "Status",
        "apiVersion",
        "v1",
        "status",
        "Failure",
        "reason",
        reason,
        "code",
        code,
        "message",
        message);
  }

  private static void send(HttpExchange exchange, int code, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
