package dev.mesh.helm;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.common.Health;
import dev.mesh.common.Setting;
import dev.mesh.embedded.EmbeddedKafka;
import dev.mesh.gateway.identity.Identities;
import dev.mesh.gateway.identity.accounts.AccountsApi;
import dev.mesh.testing.ChildJvm;
import dev.mesh.testing.Http;
import dev.mesh.testing.Poll;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart's configuration proven by running it: the chart is rendered (its defaults, and the
 * production example), and the four services' real mains are started as separate JVMs with exactly
 * the environment each Deployment's container renders, then asked what Kubernetes and the users
 * would ask: every startup, liveness and readiness probe (HTTP GET on the probe's port and path),
 * every container port, one Hazelcast cluster, the gateway's routes to every service, a widget the
 * widget-host Deployment registered, the registry's token, and a person's side of it all through
 * the gateway: signing in as the first admin, then the widgets, a layout and the tracker's queries.
 *
 * <p>There is no Kubernetes here (no API server, no container engine, no cluster DNS). What stands
 * in for it, and nothing more:
 *
 * <ul>
 *   <li><b>Pods.</b> One per Deployment: a JVM running the image's main class (read from the
 *       service module's pom, as Jib writes it into the image), with the container's {@code env} as
 *       the kubelet resolves it ({@link PodEnvironment}: values, {@code secretKeyRef} and {@code
 *       configMapKeyRef} from the rendered Secrets and ConfigMaps or from the Secrets a platform
 *       team makes beforehand, {@code fieldRef}s from the pod's facts). No Deployment renders a
 *       command or args (checked): the image's entrypoint runs the main without arguments.
 *   <li><b>Pod IPs.</b> Each pod gets a loopback address of its own (127.0.0.11 and up), the value
 *       of its {@code status.podIP} fieldRefs. What a pod's own network namespace supplies is added
 *       and nothing else: {@code MESH_BIND_HOST} set to that address (a pod's 0.0.0.0 is its own
 *       IP) and Hazelcast's {@code hazelcast.socket.bind.any=false} (the same for its wildcard
 *       bind).
 *   <li><b>Cluster DNS.</b> Each JVM resolves names through a hosts file ({@code
 *       -Djdk.net.hosts.file}, Vert.x on the JDK's resolver with {@code
 *       -Dvertx.disableDnsResolver=true}): every rendered Service's names to the address of the pod
 *       it selects (its port must equal the target container port: no kube-proxy here to
 *       translate), external hosts to the stand-ins below.
 *   <li><b>The one substitution in the rendered environment:</b> Hazelcast's Kubernetes join.
 *       {@code MESH_CLUSTER_JOIN=kubernetes} resolves the headless Service's DNS name to the
 *       members' pod IPs, which only cluster DNS knows; here it becomes {@code
 *       MESH_CLUSTER_JOIN=tcp} with {@code MESH_CLUSTER_MEMBERS} listing the pods' addresses on the
 *       rendered {@code MESH_CLUSTER_PORT}, and {@code MESH_CLUSTER_K8S_SERVICE_DNS} is dropped.
 *       Everything else is exactly as rendered.
 *   <li><b>PostgreSQL and Kafka.</b> The bundled ones (and the production example's external ones)
 *       are the embedded ones: zonky's PostgreSQL 17.6 binaries (the chart's postgres image is
 *       17.6), password authentication (scram-sha-256) as the official image configures it, the
 *       database, owner and password its POSTGRES_* variables name; Kafka 3.7.2's broker in KRaft
 *       mode (the chart's apache/kafka tag) with the broker settings of its KAFKA_* variables; each
 *       on the port the chart names, at 127.0.0.1.
 * </ul>
 *
 * <p>Both run in identity mode accounts, the chart's default: the test is the person who reads the
 * first admin's password from the Secret the install notes name (generated by the chart for the
 * defaults, made beforehand for the production example), signs in through the gateway's Service and
 * does the rest with that session, as a browser would. The set-up behind an authenticating proxy
 * (mode local, the scenario proxy.yaml) runs too; the test plays that proxy, sending {@code
 * X-Forwarded-User} and {@code X-Forwarded-Groups}.
 */
class RenderedChartRunTest {

  /**
   * A variant of the chart's values: files (scenario names or paths), --set values, and Secrets
   * made beforehand.
   */
  record Variant(
      String name,
      List<String> files,
      Map<String, Object> set,
      Map<String, Map<String, String>> existingSecrets) {

    @Override
    public String toString() {
      return name;
    }
  }

  static final Variant DEFAULTS = new Variant("defaults", List.of(), Map.of(), Map.of());

  /** The production example as shipped, with the Secrets its comments say to make beforehand. */
  static final Variant PRODUCTION =
      new Variant(
          "production",
          List.of(Chart.PRODUCTION),
          Map.of(),
          Map.of(
              "mesh-postgres",
              Map.of("user", "mesh_owner", "password", "pg-" + Uuid.randomUuid()),
              "mesh-registry",
              Map.of("token", "registry-" + Uuid.randomUuid()),
              "mesh-admin",
              Map.of("password", "first admin " + Uuid.randomUuid())));

  /**
   * Mode local behind an authenticating proxy (the scenario proxy.yaml): the test plays the proxy,
   * sending the identity headers.
   */
  static final Variant PROXY = new Variant("proxy", List.of("proxy.yaml"), Map.of(), Map.of());

  /** The user and the group the proxy vouches for (proxy.yaml makes the group admins). */
  private static final String PROXY_USER = "pat.platform";

  private static final String PROXY_GROUPS = "platform-admins";

  /** Every variant the static check renders: the three run here and the tests' scenarios. */
  static Stream<Variant> variants() {
    List<Variant> variants = new ArrayList<>(List.of(DEFAULTS, PRODUCTION, PROXY));
    // the alternative its comments describe
    variants.add(
        new Variant(
            "production, behind an authenticating proxy",
            List.of(Chart.PRODUCTION),
            Map.of(
                "identity.mode",
                "local",
                "identity.allowInsecure",
                true,
                "gateway.env.MESH_IDENTITY_TRUST",
                "always"),
            PRODUCTION.existingSecrets()));
    for (String scenario :
        List.of(
            "external.yaml",
            "existing-secrets.yaml",
            "ingress-hpa.yaml",
            "pinot.yaml",
            "layouts.yaml",
            "sidecar.yaml",
            "network-policy.yaml",
            "proxy.yaml")) {
      List<String> files =
          scenario.equals("external.yaml") || scenario.equals("existing-secrets.yaml")
              ? List.of(scenario)
              : List.of("external.yaml", scenario);
      variants.add(new Variant(scenario, files, Map.of(), Map.of()));
    }
    variants.add(
        new Variant("sidecar.yaml on the defaults", List.of("sidecar.yaml"), Map.of(), Map.of()));
    variants.add(
        new Variant("pinot.yaml on the defaults", List.of("pinot.yaml"), Map.of(), Map.of()));
    return variants.stream();
  }

  private static final Duration START = Duration.ofSeconds(90);
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** The address the data stores' stand-ins listen on (the "pod IP" of the bundled ones). */
  private static final String DATA_IP = "127.0.0.1";

  /** Variables of the apache/kafka image's scripts that are not broker properties. */
  private static final Set<String> KAFKA_SCRIPT_VARIABLES =
      Set.of(
          "KAFKA_HEAP_OPTS",
          "KAFKA_OPTS",
          "KAFKA_JMX_OPTS",
          "KAFKA_LOG4J_OPTS",
          "KAFKA_JVM_PERFORMANCE_OPTS",
          "KAFKA_GC_LOG_OPTS",
          "KAFKA_LOG4J_ROOT_LOGLEVEL",
          "KAFKA_LOG4J_LOGGERS",
          "KAFKA_TOOLS_LOG4J_LOGLEVEL",
          "KAFKA_VERSION");

  /** Broker properties that name a pod's addresses or its volume's paths: the stand-in's own. */
  private static final Set<String> KAFKA_PLACE_PROPERTIES =
      Set.of(
          "listeners",
          "advertised.listeners",
          "controller.quorum.voters",
          "log.dirs",
          "metadata.log.dir");

  /** Variables the official postgres image reads. */
  private static final Set<String> POSTGRES_IMAGE_VARIABLES =
      Set.of(
          "POSTGRES_USER",
          "POSTGRES_PASSWORD",
          "POSTGRES_DB",
          "POSTGRES_INITDB_ARGS",
          "POSTGRES_INITDB_WALDIR",
          "POSTGRES_HOST_AUTH_METHOD",
          "PGDATA",
          "PGPORT");

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void everyMeshVariableIsASettingAndEveryRequiredSettingIsRendered(Variant variant) {
    Rendered rendered = renderWithHooks(variant);
    List<String> problems = new ArrayList<>();
    List<Container> mesh = rendered.meshContainers().toList();
    assertThat(mesh).as("Mesh containers").isNotEmpty();
    for (Container container : mesh) {
      problems.addAll(MeshSettings.problems(variant + ": " + container.getName(), container));
    }
    rendered
        .containers()
        .filter(c -> !Images.isMesh(c.getImage()))
        .forEach(
            c ->
                c.getEnv().stream()
                    .map(e -> e.getName())
                    .filter(n -> n.startsWith("MESH_"))
                    .forEach(
                        n ->
                            problems.add(
                                variant + ": " + c.getName() + " (not Mesh's image) sets " + n)));
    assertThat(problems).as("the rendered Mesh settings").isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void theDataStoresVariablesAreTheImagesOwn(Variant variant) {
    Rendered rendered = renderWithHooks(variant);
    for (StatefulSet set : rendered.all(StatefulSet.class)) {
      Container container = Rendered.only(set);
      Set<String> names =
          container.getEnv().stream().map(e -> e.getName()).collect(Collectors.toSet());
      String repository = Images.repository(container.getImage());
      if (repository.endsWith("postgres")) {
        assertThat(names)
            .as("%s sets only what the postgres image reads", set.getMetadata().getName())
            .isSubsetOf(POSTGRES_IMAGE_VARIABLES)
            .contains("POSTGRES_PASSWORD", "PGDATA");
        String pgdata = Rendered.value(container, "PGDATA");
        assertThat(container.getVolumeMounts())
            .as("PGDATA lies on the claimed volume")
            .anyMatch(
                m ->
                    pgdata.startsWith(m.getMountPath() + "/")
                        && set.getSpec().getVolumeClaimTemplates().stream()
                            .anyMatch(t -> t.getMetadata().getName().equals(m.getName())));
      } else if (repository.endsWith("kafka")) {
        Map<String, String> properties = brokerProperties(plainValues(container));
        Set<String> known = KafkaConfig.configDef().names();
        assertThat(properties.keySet())
            .as("%s's KAFKA_* variables are broker properties", set.getMetadata().getName())
            .isNotEmpty()
            .allMatch(known::contains);
        Uuid.fromString(Rendered.value(container, "CLUSTER_ID"));
        String logDirs = properties.get("log.dirs");
        assertThat(container.getVolumeMounts())
            .as("the log lies on the claimed volume")
            .anyMatch(m -> logDirs.startsWith(m.getMountPath() + "/"));
      } else {
        throw new AssertionError("A StatefulSet of an unknown image: " + container.getImage());
      }
    }
  }

  @Test
  void theDefaultInstallRunsAsRendered(@TempDir Path dir) throws Exception {
    try (Installation mesh = Installation.start(DEFAULTS, dir)) {
      mesh.checkProbesPortsAndCluster();
      mesh.checkRoutesWidgetsAndToken();
      mesh.checkSignInAndUseThroughTheGateway();
      mesh.stopWithinTheGracePeriod();
    }
  }

  @Test
  void theProductionExampleRunsAsRendered(@TempDir Path dir) throws Exception {
    try (Installation mesh = Installation.start(PRODUCTION, dir)) {
      mesh.checkProbesPortsAndCluster();
      mesh.checkRoutesWidgetsAndToken();
      // the external PostgreSQL, with the existing Secret's credentials, keeps the people too
      mesh.checkSignInAndUseThroughTheGateway();
      mesh.stopWithinTheGracePeriod();
    }
  }

  @Test
  void theProxySetUpRunsAsRendered(@TempDir Path dir) throws Exception {
    try (Installation mesh = Installation.start(PROXY, dir)) {
      mesh.checkProbesPortsAndCluster();
      mesh.checkRoutesWidgetsAndToken();
      mesh.checkBehindTheProxy();
      mesh.stopWithinTheGracePeriod();
    }
  }

  static Rendered renderWithHooks(Variant variant) {
    return Chart.renderWithHooks(variant.files(), variant.set());
  }

  /**
   * The rendered chart running: the data stores' stand-ins and one JVM per Deployment, each on its
   * own loopback address.
   */
  static final class Installation implements AutoCloseable {

    private final Variant variant;
    private final Rendered rendered;
    private final PodEnvironment environment;
    private final Path dir;
    private final List<MemberPod> pods = new ArrayList<>();
    private final Map<String, String> hosts = new LinkedHashMap<>();
    private EmbeddedPostgres postgres;
    private EmbeddedKafka kafka;
    private CompletableFuture<EmbeddedPostgres> pgStart;
    private CompletableFuture<EmbeddedKafka> kafkaStart;
    private StatefulSet bundledPostgres;
    private StatefulSet bundledKafka;

    /**
     * A Deployment's one pod: its address, resolved environment and JVM, restarted when it exits as
     * the kubelet restarts a container ({@code restartPolicy: Always}), a few times at most.
     */
    static final class MemberPod {
      static final int MAX_RESTARTS = 3;

      final Deployment deployment;
      final Container container;
      final String ip;
      final Map<String, String> rendered;
      private Class<?> main;
      private Map<String, String> env;
      private volatile ChildJvm jvm;
      private volatile boolean stopping;
      private int restarts;

      MemberPod(Deployment deployment, Container container, String ip, Map<String, String> env) {
        this.deployment = deployment;
        this.container = container;
        this.ip = ip;
        this.rendered = env;
      }

      synchronized void start(Class<?> main, Map<String, String> env) {
        this.main = main;
        this.env = env;
        run();
      }

      private void run() {
        jvm = ChildJvm.of(main).name(name()).heap("256m").env(env).onEnd(this::exited).start();
      }

      private synchronized void exited() {
        if (stopping || restarts >= MAX_RESTARTS) {
          return;
        }
        restarts++;
        System.out.println(
            "[" + name() + "] exited; restarted as the kubelet would (restart " + restarts + ")");
        try {
          Thread.sleep(1000L * restarts);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        if (!stopping) {
          run();
        }
      }

      ChildJvm jvm() {
        return jvm;
      }

      synchronized int restarts() {
        return restarts;
      }

      void stop() {
        stopping = true;
      }

      String name() {
        return deployment.getMetadata().getName();
      }

      String component() {
        return deployment.getMetadata().getLabels().get("app.kubernetes.io/component");
      }
    }

    private Installation(Variant variant, Path dir) {
      this.variant = variant;
      this.dir = dir;
      this.rendered = renderWithHooks(variant);
      this.environment = new PodEnvironment(rendered, variant.existingSecrets());
    }

    static Installation start(Variant variant, Path dir) throws Exception {
      Installation installation = new Installation(variant, dir);
      try {
        installation.plan();
        // as `helm install` does: everything at once, the services before their data stores are
        // up (a service that gives up is restarted, as by the kubelet)
        Runnable dataStoresUp = installation.startDataStores();
        installation.startPods();
        dataStoresUp.run();
        return installation;
      } catch (Exception | AssertionError e) {
        installation.close();
        throw e;
      }
    }

    /** The pods, their environments and the names they resolve. */
    private void plan() {
      List<Deployment> members =
          rendered.all(Deployment.class).stream()
              .filter(
                  d ->
                      d.getSpec()
                          .getTemplate()
                          .getMetadata()
                          .getLabels()
                          .containsKey("mesh.dev/cluster"))
              .toList();
      assertThat(members)
          .extracting(d -> d.getMetadata().getLabels().get("app.kubernetes.io/component"))
          .containsExactlyInAnyOrderElementsOf(Rendered.SERVICES);
      int next = 11;
      for (Deployment deployment : members) {
        Container container = Rendered.only(deployment);
        String ip = "127.0.0." + next++;
        PodEnvironment.Pod pod =
            new PodEnvironment.Pod(deployment.getMetadata().getName() + "-0", Chart.NAMESPACE, ip);
        pods.add(new MemberPod(deployment, container, ip, environment.of(container, pod)));
      }
      // kube-proxy's part: a Service's names lead to the pod it selects, on the same port
      for (Service service : rendered.all(Service.class)) {
        Optional<String> ip = podAddress(service);
        ip.ifPresent(address -> dnsNames(service).forEach(name -> hosts.put(name, address)));
      }
    }

    private Optional<String> podAddress(Service service) {
      Map<String, String> selector = service.getSpec().getSelector();
      if (selector == null || selector.isEmpty()) {
        return Optional.empty();
      }
      for (MemberPod pod : pods) {
        if (pod.deployment
            .getSpec()
            .getTemplate()
            .getMetadata()
            .getLabels()
            .entrySet()
            .containsAll(selector.entrySet())) {
          if (!"None".equals(service.getSpec().getClusterIP())) {
            assertSamePorts(service, pod.container);
          }
          return Optional.of(pod.ip);
        }
      }
      for (StatefulSet set : rendered.all(StatefulSet.class)) {
        if (set.getSpec()
            .getTemplate()
            .getMetadata()
            .getLabels()
            .entrySet()
            .containsAll(selector.entrySet())) {
          assertSamePorts(service, Rendered.only(set));
          return Optional.of(DATA_IP);
        }
      }
      return Optional.empty();
    }

    /** No kube-proxy here: each Service port must be its target container port. */
    private static void assertSamePorts(Service service, Container container) {
      for (ServicePort port : service.getSpec().getPorts()) {
        assertThat(containerPort(container, port.getTargetPort()))
            .as(
                "Service %s port %s reaches the same container port",
                service.getMetadata().getName(), port.getName())
            .isEqualTo(port.getPort());
      }
    }

    private static List<String> dnsNames(Service service) {
      String name = service.getMetadata().getName();
      return List.of(
          name,
          name + "." + Chart.NAMESPACE,
          name + "." + Chart.NAMESPACE + ".svc",
          name + "." + Chart.NAMESPACE + ".svc.cluster.local");
    }

    private Optional<StatefulSet> statefulSetBehind(String host) {
      return rendered.all(Service.class).stream()
          .filter(s -> dnsNames(s).contains(host))
          .findFirst()
          .flatMap(
              service ->
                  rendered.all(StatefulSet.class).stream()
                      .filter(
                          set ->
                              set.getSpec()
                                  .getTemplate()
                                  .getMetadata()
                                  .getLabels()
                                  .entrySet()
                                  .containsAll(service.getSpec().getSelector().entrySet()))
                      .findFirst());
    }

    /** Starts the stand-ins; the returned step waits until they are up. */
    private Runnable startDataStores() {
      // PostgreSQL: the one the gateway and the tracker name
      Set<String> urls =
          pods.stream()
              .map(p -> p.rendered.get(Setting.DATABASE_URL.key()))
              .filter(u -> u != null)
              .collect(Collectors.toSet());
      assertThat(urls).as("one PostgreSQL for the gateway and the tracker").hasSize(1);
      URI url = URI.create(urls.iterator().next());
      int pgPort = url.getPort() < 0 ? 5432 : url.getPort();
      String database = url.getPath().substring(1);
      Map<String, String> meshDatabaseEnv =
          pods.stream()
              .filter(p -> p.rendered.containsKey(Setting.DATABASE_URL.key()))
              .findFirst()
              .orElseThrow()
              .rendered;
      String user;
      String password;
      boolean superuser;
      bundledPostgres = statefulSetBehind(url.getHost()).orElse(null);
      if (bundledPostgres != null) {
        Container container = Rendered.only(bundledPostgres);
        assertThat(Images.repository(container.getImage())).endsWith("postgres");
        Map<String, String> env =
            environment.of(
                container,
                new PodEnvironment.Pod(
                    bundledPostgres.getMetadata().getName() + "-0", Chart.NAMESPACE, DATA_IP));
        // what the image makes at its first start
        user = env.getOrDefault("POSTGRES_USER", "postgres");
        password = env.get("POSTGRES_PASSWORD");
        assertThat(env.getOrDefault("POSTGRES_DB", user))
            .as("the database the image makes")
            .isEqualTo(database);
        assertThat(env.get("PGPORT")).as("the server's port").isEqualTo(String.valueOf(pgPort));
        superuser = true;
      } else {
        // an external database, made by the platform team for the user of the rendered Secret
        hosts.put(url.getHost(), DATA_IP);
        user = meshDatabaseEnv.get(Setting.DATABASE_USER.key());
        password = meshDatabaseEnv.get(Setting.DATABASE_PASSWORD.key());
        superuser = false;
      }
      assertThat(meshDatabaseEnv.get(Setting.DATABASE_USER.key()))
          .as("Mesh's database user")
          .isEqualTo(user);
      assertThat(meshDatabaseEnv.get(Setting.DATABASE_PASSWORD.key()))
          .as("Mesh's database password")
          .isEqualTo(password)
          .isNotBlank();

      // Kafka: the bootstrap servers the tracker names
      String bootstrap =
          pods.stream()
              .map(p -> p.rendered.get(Setting.KAFKA_BOOTSTRAP.key()))
              .filter(b -> b != null)
              .findFirst()
              .orElseThrow();
      Set<Integer> kafkaPorts = new java.util.HashSet<>();
      Map<String, String> overrides = new LinkedHashMap<>();
      for (String server : bootstrap.split(",")) {
        String host = server.substring(0, server.lastIndexOf(':'));
        kafkaPorts.add(Integer.parseInt(server.substring(server.lastIndexOf(':') + 1)));
        Optional<StatefulSet> behind = statefulSetBehind(host);
        if (behind.isPresent()) {
          bundledKafka = behind.get();
          Container container = Rendered.only(bundledKafka);
          assertThat(Images.repository(container.getImage())).endsWith("kafka");
          Map<String, String> env =
              environment.of(
                  container,
                  new PodEnvironment.Pod(
                      bundledKafka.getMetadata().getName() + "-0", Chart.NAMESPACE, DATA_IP));
          brokerProperties(env)
              .forEach(
                  (property, value) -> {
                    if (!KAFKA_PLACE_PROPERTIES.contains(property)) {
                      overrides.put(property, value);
                    }
                  });
          assertThat(brokerProperties(env).get("advertised.listeners"))
              .as("the broker tells clients the address they bootstrapped from")
              .contains(server);
        } else {
          hosts.put(host, DATA_IP);
        }
      }
      assertThat(kafkaPorts).as("one broker port (one stand-in broker)").hasSize(1);
      int kafkaPort = kafkaPorts.iterator().next();

      preflight(DATA_IP, List.of(pgPort, kafkaPort));
      String pgUser = user;
      String pgPassword = password;
      boolean pgSuperuser = superuser;
      pgStart =
          CompletableFuture.supplyAsync(
              () ->
                  startPostgres(
                      dir.resolve("postgres"), pgPort, pgUser, pgPassword, database, pgSuperuser));
      kafkaStart =
          CompletableFuture.supplyAsync(() -> EmbeddedKafka.start(dir, kafkaPort, overrides));
      return () -> {
        try {
          postgres = pgStart.join();
        } finally {
          kafka = kafkaStart.join();
        }
      };
    }

    private void startPods() throws IOException {
      String members =
          pods.stream()
              .map(p -> p.ip + ":" + p.rendered.get(Setting.CLUSTER_PORT.key()))
              .collect(Collectors.joining(","));
      String hostname = InetAddress.getLocalHost().getHostName();
      for (MemberPod pod : pods) {
        preflight(
            pod.ip,
            pod.container.getPorts().stream().map(ContainerPort::getContainerPort).toList());
        assertThat(MeshSettings.problems(variant + ": " + pod.name(), pod.container))
            .as("the rendered Mesh settings")
            .isEmpty();
        Map<String, String> env = new LinkedHashMap<>(pod.rendered);
        // the one substitution: the Kubernetes DNS join as a TCP join of the pods' addresses
        assertThat(env.get(Setting.CLUSTER_JOIN.key())).isEqualTo("kubernetes");
        env.put(Setting.CLUSTER_JOIN.key(), "tcp");
        env.remove(Setting.CLUSTER_K8S_SERVICE_DNS.key());
        env.put(Setting.CLUSTER_MEMBERS.key(), members);
        // what the pod's own network namespace supplies
        assertThat(env)
            .as("the chart leaves the bind address to the pod")
            .doesNotContainKey(Setting.BIND_HOST.key());
        env.put(Setting.BIND_HOST.key(), pod.ip);
        Path hostsFile = dir.resolve("hosts-" + pod.name());
        StringBuilder lines =
            new StringBuilder("127.0.0.1 localhost\n" + pod.ip + " " + hostname + "\n");
        hosts.forEach((name, ip) -> lines.append(ip).append(' ').append(name).append('\n'));
        Files.writeString(hostsFile, lines);
        env.put(
            "JAVA_TOOL_OPTIONS",
            "-Djdk.net.hosts.file="
                + hostsFile
                + " -Dvertx.disableDnsResolver=true -Dhazelcast.socket.bind.any=false");
        List<String> args = pod.container.getArgs() == null ? List.of() : pod.container.getArgs();
        assertThat(pod.container.getCommand()).as("the image's entrypoint runs").isNullOrEmpty();
        assertThat(args)
            .as("%s's args (ChildJvm starts a main without arguments)", pod.name())
            .isEmpty();
        Class<?> main;
        try {
          main = Class.forName(Images.main(pod.container.getImage()));
        } catch (ClassNotFoundException e) {
          throw new AssertionError(
              "The main class of " + pod.container.getImage() + " is not on the test's classpath",
              e);
        }
        pod.start(main, env);
      }
    }

    /** Every probe answers as Kubernetes asks it, every container port listens, one cluster. */
    void checkProbesPortsAndCluster() {
      for (MemberPod pod : pods) {
        Container c = pod.container;
        // the kubelet asks the startup probe first, then liveness and readiness
        probeUntilSuccess(pod.name(), pod.ip, c, c.getStartupProbe(), "startup", START, pod);
        probeUntilSuccess(pod.name(), pod.ip, c, c.getLivenessProbe(), "liveness", WAIT, pod);
        probeUntilSuccess(pod.name(), pod.ip, c, c.getReadinessProbe(), "readiness", WAIT, pod);
        for (ContainerPort port : c.getPorts()) {
          assertListening(pod.name() + " port " + port.getName(), pod.ip, port.getContainerPort());
        }
      }
      for (StatefulSet set :
          Stream.of(bundledPostgres, bundledKafka).filter(s -> s != null).toList()) {
        Container c = Rendered.only(set);
        String name = set.getMetadata().getName();
        probeUntilSuccess(name, DATA_IP, c, c.getStartupProbe(), "startup", WAIT, null);
        probeUntilSuccess(name, DATA_IP, c, c.getLivenessProbe(), "liveness", WAIT, null);
        probeUntilSuccess(name, DATA_IP, c, c.getReadinessProbe(), "readiness", WAIT, null);
        for (ContainerPort port : c.getPorts()) {
          assertListening(name + " port " + port.getName(), DATA_IP, port.getContainerPort());
        }
      }
      // one Hazelcast cluster: every member's latest view lists all of them
      Set<String> everyone =
          pods.stream()
              .map(p -> "[" + p.ip + "]:" + p.rendered.get(Setting.CLUSTER_PORT.key()))
              .collect(Collectors.toSet());
      for (MemberPod pod : pods) {
        Poll.until(
            WAIT,
            pod.name() + " sees all " + pods.size() + " members " + everyone,
            () -> membership(pod.jvm().lines()),
            seen -> seen.equals(everyone));
      }
    }

    /**
     * The gateway routes to every service; the widget-host's widgets are registered and served; the
     * registry takes REST registrations with the chart's token only; the helm test passes.
     */
    void checkRoutesWidgetsAndToken() throws Exception {
      // `helm test`: the test Pod's wget of the gateway Service's readiness
      Pod test = rendered.all(Pod.class).stream().findFirst().orElseThrow();
      String url =
          test.getSpec().getContainers().get(0).getCommand().stream()
              .filter(a -> a.startsWith("http://"))
              .findFirst()
              .orElseThrow();
      URI testUri = URI.create(url);
      String address = hosts.get(testUri.getHost());
      assertThat(address).as("the helm test's host %s is a Service", testUri.getHost()).isNotNull();
      assertThat(
              new Http("http://" + address + ":" + testUri.getPort())
                  .get(testUri.getPath())
                  .status())
          .as("helm test's " + url)
          .isEqualTo(200);

      Http gateway = gateway();
      // the tracker's collector: the pixel, whatever comes with it
      HttpResponse<byte[]> pixel =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              gatewayBase()
                                  + setting(pod("gateway"), Setting.TRACKER_PIXEL_PATH)
                                  + "?s=shop.example&p=/pricing"))
                      .header(
                          "User-Agent",
                          "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36")
                      .build(),
                  HttpResponse.BodyHandlers.ofByteArray());
      assertThat(pixel.statusCode()).as("the pixel through the gateway").isEqualTo(200);
      assertThat(pixel.headers().firstValue("Content-Type")).hasValue("image/gif");
      assertThat(pixel.body()).hasSize(43);

      // the widget-host Deployment's widgets, in the registry, served through the gateway
      MemberPod registryPod = pod("registry");
      Http registry =
          new Http("http://" + registryPod.ip + ":" + setting(registryPod, Setting.REGISTRY_PORT));
      JsonArray widgets =
          Poll.until(
              WAIT,
              "the widget-host's widgets in the registry",
              () -> registry.expect(200, "GET", "/api/widgets", null).getJsonArray("widgets"),
              list -> !exampleWidgetIds(list).isEmpty());
      JsonObject widget = manifestOf(widgets.getJsonObject(0));
      String module = widget.getString("module");
      assertThat(module).as("a widget file URL on the gateway").startsWith("/w/");
      Http.Answer file = gateway.get(module);
      assertThat(file.status()).as("GET %s through the gateway", module).isEqualTo(200);
      assertThat(file.body()).isNotBlank();
      assertThat(file.header("Content-Type")).contains("javascript");

      // REST registrations, as a sidecar sends them through the gateway: only with the token
      String token = setting(registryPod, Setting.REGISTRY_TOKEN);
      assertThat(token).as("the registry's token").hasSizeGreaterThanOrEqualTo(20);
      String id = "chart-check-" + variant.name().replaceAll("[^a-z]", "");
      JsonObject manifest =
          new JsonObject()
              .put("id", id)
              .put("tag", "chart-check-widget")
              .put("label", "Chart check")
              .put("module", "https://widgets.example.com/" + id + ".js")
              .put("version", "1.0.0")
              .put("owner", "platform")
              .put("domain", "operations")
              .put("domainKind", "consumer-aligned");
      assertThat(gateway.sendJson("PUT", "/api/widgets/" + id, manifest).status())
          .as("an anonymous registration")
          .isEqualTo(401);
      assertThat(
              gateway
                  .sendJson("PUT", "/api/widgets/" + id, manifest, "Authorization", "Bearer wrong")
                  .status())
          .as("a registration with a wrong token")
          .isEqualTo(401);
      assertThat(
              gateway
                  .sendJson(
                      "PUT", "/api/widgets/" + id, manifest, "Authorization", "Bearer " + token)
                  .status())
          .as("a registration with the chart's token")
          .isBetween(200, 201);
      assertThat(registry.get("/api/widgets/" + id).status()).isEqualTo(200);
      assertThat(
              gateway
                  .send("DELETE", "/api/widgets/" + id, null, "Authorization", "Bearer " + token)
                  .status())
          .isBetween(200, 204);
    }

    /**
     * A person's side, all through the gateway's Service: a stranger is sent to sign in; the first
     * admin signs in with the password read from the Secret the gateway's container names (as the
     * install notes tell a person to read it) and, with that session, is an admin, sees the
     * widget-host's widgets, saves a layout, asks the tracker's query API and adds a person, who
     * then signs in too.
     */
    void checkSignInAndUseThroughTheGateway() {
      Http gateway = gateway();
      MemberPod gatewayPod = pod("gateway");
      assertThat(setting(gatewayPod, Setting.IDENTITY_MODE)).isEqualTo("accounts");

      // a stranger: no identity headers are believed, there is no local user
      assertThat(gateway.as("mallory", "platform-admins").get("/api/me").status())
          .as("GET /api/me of a stranger, identity headers or not")
          .isEqualTo(401);
      assertThat(gateway.get("/api/layouts").status()).as("layouts of a stranger").isEqualTo(401);
      Http.Answer page = gateway.get("/");
      assertThat(page.status()).as("GET / of a stranger").isEqualTo(302);
      assertThat(page.header("Location"))
          .isEqualTo(AccountsApi.SIGN_IN_PAGE + "?next=" + URLEncoder.encode("/", UTF_8));
      assertThat(gateway.get(AccountsApi.SIGN_IN_PAGE).status())
          .as("the sign-in page")
          .isEqualTo(200);

      // the first admin's password, from the Secret and key the gateway's container names
      SecretKeySelector ref =
          Rendered.env(gatewayPod.container)
              .get(Setting.ACCOUNTS_ADMIN_PASSWORD.key())
              .getValueFrom()
              .getSecretKeyRef();
      String password = environment.secret(ref.getName(), gatewayPod.container).get(ref.getKey());
      assertThat(password)
          .as("the first admin's password in Secret %s, key %s", ref.getName(), ref.getKey())
          .isEqualTo(gatewayPod.rendered.get(Setting.ACCOUNTS_ADMIN_PASSWORD.key()))
          .hasSizeBetween(10, 200);
      String user = setting(gatewayPod, Setting.ACCOUNTS_ADMIN_USER);
      Http admin = signIn(gateway, user, password);
      assertThat(
              gateway
                  .sendJson(
                      "POST",
                      "/auth/sign-in",
                      new JsonObject().put("user", user).put("password", password + "x"))
                  .status())
          .as("a wrong password")
          .isEqualTo(401);

      JsonObject me = admin.expect(200, "GET", "/api/me", null);
      assertThat(me.getString("user")).isEqualTo(user);
      assertThat(me.getString("role")).isEqualTo("admin");
      JsonArray widgets = admin.expect(200, "GET", "/api/widgets", null).getJsonArray("widgets");
      assertThat(exampleWidgetIds(widgets)).as("the widget-host's widgets").isNotEmpty();
      JsonObject layout = layout();
      assertThat(admin.sendJson("POST", "/api/layouts", layout).status())
          .as("a layout saved by the first admin")
          .isEqualTo(201);
      checkHitsReachTheQueryApi(admin);

      // people are added by the admin (docs/identity.md) and sign in in turn
      String viewer = "chart.viewer";
      String viewerPassword = "viewer " + Uuid.randomUuid();
      admin.expect(
          201,
          "POST",
          "/api/admin/people",
          new JsonObject()
              .put("name", viewer)
              .put("password", viewerPassword)
              .put("role", "viewer"));
      Http signedInViewer = signIn(gateway, viewer, viewerPassword);
      assertThat(signedInViewer.expect(200, "GET", "/api/me", null).getString("role"))
          .isEqualTo("viewer");
      assertThat(signedInViewer.sendJson("POST", "/api/layouts", layout).status())
          .as("a viewer's layout")
          .isEqualTo(403);
    }

    /**
     * Mode local behind the proxy the test plays: a request without its headers is nobody, one with
     * them is the user they name, an admin by the group proxy.yaml names.
     */
    void checkBehindTheProxy() {
      Http gateway = gateway();
      assertThat(setting(pod("gateway"), Setting.IDENTITY_MODE)).isEqualTo("local");
      assertThat(gateway.get("/api/me").status()).as("/api/me without the headers").isEqualTo(401);
      assertThat(gateway.get("/api/layouts").status())
          .as("layouts without the headers")
          .isEqualTo(401);
      Http signedIn = gateway.as(PROXY_USER, PROXY_GROUPS);
      JsonObject me = signedIn.expect(200, "GET", "/api/me", null);
      assertThat(me.getString("user")).isEqualTo(PROXY_USER);
      assertThat(me.getString("role")).isEqualTo("admin");
      JsonArray widgets = signedIn.expect(200, "GET", "/api/widgets", null).getJsonArray("widgets");
      assertThat(exampleWidgetIds(widgets)).as("through the gateway").isNotEmpty();
      assertThat(signedIn.sendJson("POST", "/api/layouts", layout()).status())
          .as("a layout saved by the proxy's user")
          .isEqualTo(201);
      checkHitsReachTheQueryApi(signedIn);
    }

    /** A layout with an empty row, as the dashboard saves a new one. */
    private static JsonObject layout() {
      return new JsonObject()
          .put("name", "Chart check")
          .put(
              "content",
              new JsonObject()
                  .put(
                      "config",
                      new JsonObject()
                          .put(
                              "root",
                              new JsonObject()
                                  .put("type", "row")
                                  .put("content", new JsonArray()))));
    }

    /**
     * Signs in with JSON through the gateway, waiting while the accounts are still being prepared
     * (503); the same gateway with the session cookie. The cookie is {@code Secure} exactly as the
     * rendered {@code MESH_SESSION_COOKIE_SECURE} says.
     */
    private Http signIn(Http gateway, String user, String password) {
      JsonObject credentials = new JsonObject().put("user", user).put("password", password);
      Http.Answer answer =
          Poll.until(
              WAIT,
              user + " signing in through the gateway",
              () -> gateway.sendJson("POST", "/auth/sign-in", credentials),
              a -> a.status() != 503);
      assertThat(answer.status()).as("%s signing in: %s", user, answer).isEqualTo(200);
      String cookie =
          answer.headers().entrySet().stream()
              .filter(e -> e.getKey().equalsIgnoreCase("Set-Cookie"))
              .flatMap(e -> e.getValue().stream())
              .filter(c -> c.startsWith(Identities.SESSION_COOKIE + "="))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no session cookie: " + answer.headers()));
      boolean secure =
          Stream.of(cookie.split(";")).map(String::trim).anyMatch("Secure"::equalsIgnoreCase);
      assertThat(secure)
          .as("the Secure flag of %s (MESH_SESSION_COOKIE_SECURE)", cookie)
          .isEqualTo(Boolean.parseBoolean(setting(pod("gateway"), Setting.SESSION_COOKIE_SECURE)));
      return gateway.with("Cookie", cookie.substring(0, cookie.indexOf(';')));
    }

    /** A hit sent to the pixel is projected (Kafka to PostgreSQL) and its site listed. */
    void checkHitsReachTheQueryApi(Http queries) {
      Poll.until(
          WAIT,
          "shop.example among the tracker's sites",
          () -> queries.get("/api/tracker/sites"),
          answer -> answer.status() == 200 && answer.body().contains("shop.example"));
    }

    /** SIGTERM to every pod at once: each leaves within terminationGracePeriodSeconds. */
    void stopWithinTheGracePeriod() {
      pods.forEach(MemberPod::stop);
      pods.forEach(p -> p.jvm().terminate());
      for (MemberPod pod : pods) {
        long grace =
            pod.deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
        pod.jvm().exitCode(Duration.ofSeconds(grace));
        System.out.println("[" + pod.name() + "] restarts: " + pod.restarts());
      }
    }

    Http gateway() {
      return new Http(gatewayBase());
    }

    /** The gateway's Service, as the ingress reaches it. */
    private String gatewayBase() {
      Service service = rendered.named(Service.class, Chart.RELEASE + "-gateway");
      String ip = hosts.get(service.getMetadata().getName());
      return "http://" + ip + ":" + service.getSpec().getPorts().get(0).getPort();
    }

    private MemberPod pod(String component) {
      return pods.stream().filter(p -> p.component().equals(component)).findFirst().orElseThrow();
    }

    /** A setting as the pod has it: rendered, else the code's default. */
    private static String setting(MemberPod pod, Setting setting) {
      return pod.rendered.getOrDefault(setting.key(), setting.defaultValue());
    }

    /** The ids of the registered widgets that the widget-host serves (files under /w/). */
    List<String> exampleWidgetIds(JsonArray widgets) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < widgets.size(); i++) {
        JsonObject manifest = manifestOf(widgets.getJsonObject(i));
        if (manifest.getString("module", "").startsWith("/w/")) {
          ids.add(manifest.getString("id"));
        }
      }
      return ids;
    }

    private static JsonObject manifestOf(JsonObject widget) {
      return widget.containsKey("module")
          ? widget
          : widget.getJsonObject("manifest", new JsonObject());
    }

    @Override
    public void close() {
      for (MemberPod pod : pods) {
        pod.stop();
        if (pod.jvm() != null) {
          pod.jvm().close();
        }
      }
      if (kafka == null && kafkaStart != null) {
        try {
          kafka = kafkaStart.join();
        } catch (RuntimeException ignored) {
          // it did not start: nothing to stop
        }
      }
      if (postgres == null && pgStart != null) {
        try {
          postgres = pgStart.join();
        } catch (RuntimeException ignored) {
          // it did not start: nothing to stop
        }
      }
      if (kafka != null) {
        kafka.close();
      }
      if (postgres != null) {
        try {
          postgres.close();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  /**
   * Asks a probe as the kubelet does until it succeeds: httpGet answers 200, tcpSocket connects,
   * the exec {@code pg_isready} (run in the container, not here) is played by connecting as the
   * user it names.
   */
  static void probeUntilSuccess(
      String pod,
      String ip,
      Container container,
      Probe probe,
      String kind,
      Duration timeout,
      Installation.MemberPod member) {
    assertThat(probe).as("%s has a %s probe", pod, kind).isNotNull();
    String what = pod + "'s " + kind + " probe";
    Poll.until(
        timeout,
        what,
        () -> {
          if (member != null
              && member.restarts() >= Installation.MemberPod.MAX_RESTARTS
              && !member.jvm().isAlive()) {
            throw new AssertionError(
                pod
                    + " keeps exiting (a crash loop) while waiting for its "
                    + kind
                    + " probe; its output: "
                    + tail(member.jvm().lines()));
          }
          return probeOnce(ip, container, probe);
        },
        ok -> ok);
  }

  private static boolean probeOnce(String ip, Container container, Probe probe) {
    if (probe.getHttpGet() != null) {
      int port = containerPort(container, probe.getHttpGet().getPort());
      String path = probe.getHttpGet().getPath();
      assertThat(path).as("a health route of the code").isIn(Health.LIVE_PATH, Health.READY_PATH);
      return new Http("http://" + ip + ":" + port).status(path) == 200;
    }
    if (probe.getTcpSocket() != null) {
      int port = containerPort(container, probe.getTcpSocket().getPort());
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(ip, port), 1000);
        return true;
      } catch (IOException e) {
        return false;
      }
    }
    if (probe.getExec() != null) {
      List<String> command = probe.getExec().getCommand();
      assertThat(command.get(0)).as("an exec probe this test can play").isEqualTo("pg_isready");
      String host = option(command, "-h");
      String port = option(command, "-p");
      String user = option(command, "-U");
      String database = option(command, "-d");
      assertThat(host).as("pg_isready asks the pod itself").isIn("127.0.0.1", "localhost");
      // pg_isready only asks whether connections are taken; a refused password still means yes
      try (Connection connection =
          DriverManager.getConnection(
              "jdbc:postgresql://" + ip + ":" + port + "/" + database, user, "-")) {
        return connection.isValid(1);
      } catch (SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return state.equals("28P01") || state.equals("28000");
      }
    }
    throw new AssertionError("A probe this test cannot play: " + probe);
  }

  private static String option(List<String> command, String option) {
    int at = command.indexOf(option);
    assertThat(at).as("%s in %s", option, command).isNotNegative();
    return command.get(at + 1);
  }

  static int containerPort(Container container, IntOrString port) {
    if (port.getStrVal() == null) {
      return port.getIntVal();
    }
    return container.getPorts().stream()
        .filter(p -> port.getStrVal().equals(p.getName()))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(container.getName() + " has no port named " + port.getStrVal()))
        .getContainerPort();
  }

  /** Something listens there within {@link #WAIT} (a service opens its ports one by one). */
  private static void assertListening(String what, String ip, int port) {
    Poll.until(
        WAIT,
        what + ": something listens on " + ip + ":" + port,
        () -> {
          try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(ip, port), 1000);
            return true;
          } catch (IOException e) {
            return false;
          }
        });
  }

  /** Fails, naming the port, when something else on this machine already holds it. */
  private static void preflight(String ip, List<Integer> ports) {
    for (int port : ports) {
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress(ip, port));
      } catch (IOException e) {
        throw new AssertionError(
            "Port "
                + port
                + " on "
                + ip
                + " is taken by another process on this machine; the chart's pods need it ("
                + e.getMessage()
                + ")",
            e);
      }
    }
  }

  /** The members a Hazelcast member's latest "Members {size:n} [...]" log lists. */
  static Set<String> membership(List<String> lines) {
    int start = -1;
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).contains("Members {size:")) {
        start = i;
        break;
      }
    }
    Set<String> members = new java.util.HashSet<>();
    if (start < 0) {
      return members;
    }
    for (int i = start + 1; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (line.equals("]")) {
        break;
      }
      if (line.startsWith("Member [")) {
        members.add(line.substring("Member ".length(), line.indexOf(' ', "Member ".length())));
      }
    }
    return members;
  }

  /** A container's plain values (the data stores' settings are plain, their secrets aside). */
  private static Map<String, String> plainValues(Container container) {
    Map<String, String> values = new LinkedHashMap<>();
    container.getEnv().stream()
        .filter(e -> e.getValueFrom() == null)
        .forEach(e -> values.put(e.getName(), e.getValue()));
    return values;
  }

  /**
   * The broker properties the apache/kafka image writes from its variables: KAFKA_ dropped, lower
   * case, {@code ___} a dash, {@code __} an underscore, {@code _} a dot.
   */
  static Map<String, String> brokerProperties(Map<String, String> env) {
    Map<String, String> properties = new LinkedHashMap<>();
    env.forEach(
        (name, value) -> {
          if (name.startsWith("KAFKA_") && !KAFKA_SCRIPT_VARIABLES.contains(name)) {
            String property =
                name.substring("KAFKA_".length())
                    .toLowerCase(Locale.ROOT)
                    .replace("___", "\u0001")
                    .replace("__", "\u0002")
                    .replace('_', '.')
                    .replace('\u0001', '-')
                    .replace('\u0002', '_');
            properties.put(property, value);
          }
        });
    return properties;
  }

  /**
   * A PostgreSQL as the official image leaves it after its first start: password authentication
   * (scram-sha-256) over TCP, the database owned by the user (a superuser, as the image's
   * POSTGRES_USER is), or a plain owner for an external database a platform team made.
   */
  static EmbeddedPostgres startPostgres(
      Path folder, int port, String user, String password, String database, boolean superuser) {
    try {
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(folder)
              .setCleanDataDirectory(true)
              .setPort(port)
              .setDataDirectoryCustomizer(
                  data -> {
                    try {
                      Files.writeString(
                          data.toPath().resolve("pg_hba.conf"),
                          """
                          # the test's own administration, then passwords for everybody else
                          local all all trust
                          host all postgres 127.0.0.1/32 trust
                          host all postgres ::1/128 trust
                          host all all 127.0.0.1/32 scram-sha-256
                          host all all ::1/128 scram-sha-256
                          """);
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  })
              .start();
      try (Connection c = postgres.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute(
            "CREATE ROLE "
                + identifier(user)
                + " LOGIN "
                + (superuser ? "SUPERUSER " : "")
                + "PASSWORD '"
                + password.replace("'", "''")
                + "'");
        s.execute("CREATE DATABASE " + identifier(database) + " OWNER " + identifier(user));
      }
      return postgres;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Cannot prepare the PostgreSQL stand-in: " + e.getMessage(), e);
    }
  }

  private static String identifier(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  private static String tail(List<String> lines) {
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
