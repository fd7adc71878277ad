package dev.mesh.helm;

import static dev.mesh.helm.Rendered.SERVICES;
import static dev.mesh.helm.Rendered.container;
import static dev.mesh.helm.Rendered.env;
import static dev.mesh.helm.Rendered.only;
import static dev.mesh.helm.Rendered.port;
import static dev.mesh.helm.Rendered.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mesh.common.Health;
import dev.mesh.common.ServiceMain;
import dev.mesh.common.Setting;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * `helm template` for the scenarios a platform team installs, checked as Kubernetes would read
 * them.
 */
class ChartRenderTest {

  private static final Set<String> SETTING_KEYS =
      Arrays.stream(Setting.values()).map(Setting::key).collect(Collectors.toSet());

  /** The setting of each service's HTTP port, the one serving the health routes. */
  private static final Map<String, Setting> HTTP_PORT =
      Map.of(
          "gateway",
          Setting.GATEWAY_PORT,
          "registry",
          Setting.REGISTRY_PORT,
          "tracker",
          Setting.TRACKER_PORT,
          "widget-host",
          Setting.WIDGET_HOST_PORT);

  private static final String CLUSTER_LABEL = "mesh.dev/cluster";

  private static Rendered external;

  @BeforeAll
  static void renderTheLeastInstall() {
    external = Chart.render("external.yaml");
  }

  @Test
  void theParserRefusesAMisspeltField() {
    String misspelt =
        """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: x}
      spec:
        template:
          spec:
            containers:
              - name: x
                readinesProbe: {httpGet: {path: /health/ready, port: http}}
      """;
    assertThatThrownBy(() -> Chart.parse(misspelt)).hasMessageContaining("readinesProbe");
  }

  @Test
  void fourDeploymentsFormOneClusterThroughTheHeadlessService() {
    List<Deployment> deployments = external.all(Deployment.class);
    assertThat(deployments)
        .extracting(d -> d.getMetadata().getLabels().get("app.kubernetes.io/component"))
        .containsExactlyInAnyOrderElementsOf(SERVICES);
    Set<String> clusters =
        deployments.stream()
            .map(d -> d.getSpec().getTemplate().getMetadata().getLabels().get(CLUSTER_LABEL))
            .collect(Collectors.toSet());
    assertThat(clusters).hasSize(1).doesNotContainNull();

    Service headless = external.named(Service.class, "mesh-cluster");
    assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(headless.getSpec().getPublishNotReadyAddresses()).isTrue();
    for (Deployment deployment : deployments) {
      assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
          .as(deployment.getMetadata().getName())
          .containsAllEntriesOf(headless.getSpec().getSelector());
      Container member = only(deployment);
      assertThat(value(member, Setting.CLUSTER_JOIN.key())).isEqualTo("kubernetes");
      assertThat(value(member, Setting.CLUSTER_K8S_SERVICE_DNS.key()))
          .isEqualTo("mesh-cluster." + Chart.NAMESPACE + ".svc.cluster.local");
      assertThat(value(member, Setting.CLUSTER_NAME.key())).isEqualTo(clusters.iterator().next());
      for (Setting podIp : List.of(Setting.CLUSTER_HOST, Setting.ADVERTISED_HOST)) {
        assertThat(env(member).get(podIp.key()).getValueFrom().getFieldRef().getFieldPath())
            .isEqualTo("status.podIP");
      }
      int hazelcast = Integer.parseInt(value(member, Setting.CLUSTER_PORT.key()));
      int eventBus = Integer.parseInt(value(member, Setting.EVENTBUS_PORT.key()));
      assertThat(eventBus).as("the event-bus port is pinned").isPositive();
      assertThat(port(member, "hazelcast")).isEqualTo(hazelcast);
      assertThat(port(member, "eventbus")).isEqualTo(eventBus);
      assertThat(headless.getSpec().getPorts())
          .extracting(p -> p.getPort())
          .contains(hazelcast, eventBus);
    }
    // nothing else may join: the sidecars and jobs carry no cluster label
    Rendered everything = Chart.render("external.yaml", "pinot.yaml", "sidecar.yaml");
    assertThat(everything.podSpecs()).hasSizeGreaterThan(4);
    assertThat(
            everything.all(Deployment.class).stream()
                .filter(
                    d ->
                        d.getSpec()
                            .getTemplate()
                            .getMetadata()
                            .getLabels()
                            .containsKey(CLUSTER_LABEL)))
        .hasSize(4);
  }

  @Test
  void probesAskTheHealthRoutesOnThePortTheServiceListensOn() {
    for (String component : SERVICES) {
      Container service = only(external.service(component));
      Setting portSetting = HTTP_PORT.get(component);
      int listensOn = Integer.parseInt(value(service, portSetting.key()));
      assertThat(listensOn)
          .as("the chart keeps the code's default port of " + component)
          .isEqualTo(Integer.parseInt(portSetting.defaultValue()));
      assertThat(port(service, "http")).isEqualTo(listensOn);

      assertProbe(service, service.getStartupProbe(), Health.LIVE_PATH, listensOn);
      assertProbe(service, service.getLivenessProbe(), Health.LIVE_PATH, listensOn);
      assertProbe(service, service.getReadinessProbe(), Health.READY_PATH, listensOn);
    }
    Container tracker = only(external.service("tracker"));
    assertThat(port(tracker, "query"))
        .isEqualTo(Integer.parseInt(value(tracker, Setting.TRACKER_QUERY_PORT.key())));
  }

  private static void assertProbe(Container container, Probe probe, String path, int port) {
    assertThat(probe).as(container.getName()).isNotNull();
    HTTPGetAction get = probe.getHttpGet();
    assertThat(get.getPath()).isEqualTo(path);
    String name = get.getPort().getStrVal();
    assertThat(name == null ? get.getPort().getIntVal() : port(container, name)).isEqualTo(port);
  }

  @Test
  void podsStopGracefullyOneAtATimeAndRunLockedDown() {
    for (String component : SERVICES) {
      Deployment deployment = external.service(component);
      assertThat(deployment.getSpec().getReplicas()).isGreaterThanOrEqualTo(2);
      assertThat(
              deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
          .isZero();
      assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal())
          .isOne();
      PodSpec pod = deployment.getSpec().getTemplate().getSpec();
      assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThan(ServiceMain.STOP_SECONDS);
      assertThat(pod.getAutomountServiceAccountToken()).isFalse();

      PodDisruptionBudget pdb =
          external.named(PodDisruptionBudget.class, deployment.getMetadata().getName());
      assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
          .containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
      assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isOne();
    }
    Rendered all = Chart.renderWithHooks("external.yaml", "pinot.yaml", "sidecar.yaml");
    assertThat(all.all(Job.class)).hasSize(1);
    assertThat(all.all(Pod.class)).hasSize(1);
    all.podSpecs()
        .forEach(
            pod -> {
              assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
              pod.getContainers()
                  .forEach(
                      c -> {
                        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem())
                            .as(c.getName())
                            .isTrue();
                        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation())
                            .as(c.getName())
                            .isFalse();
                      });
            });
    // the JVMs (and nginx) write to /tmp: an emptyDir, as the root file system is read-only
    all.podSpecs()
        .filter(pod -> pod.getVolumes() != null && !pod.getVolumes().isEmpty())
        .forEach(
            pod -> {
              Set<String> tmpVolumes =
                  pod.getVolumes().stream()
                      .filter(v -> v.getEmptyDir() != null)
                      .map(Volume::getName)
                      .collect(Collectors.toSet());
              pod.getContainers()
                  .forEach(
                      c ->
                          assertThat(c.getVolumeMounts())
                              .as(c.getName() + " writes /tmp")
                              .anyMatch(
                                  m ->
                                      m.getMountPath().equals("/tmp")
                                          && tmpVolumes.contains(m.getName())));
            });
    assertThat(
            all.podSpecs().filter(pod -> pod.getVolumes() != null && !pod.getVolumes().isEmpty()))
        .hasSize(6);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "external.yaml",
        "existing-secrets.yaml",
        "ingress-hpa.yaml",
        "pinot.yaml",
        "layouts.yaml",
        "sidecar.yaml",
        "network-policy.yaml",
        "proxy.yaml"
      })
  void everyEnvironmentVariableIsASettingTheCodeReads(String scenario) {
    List<String> files =
        scenario.equals("external.yaml") || scenario.equals("existing-secrets.yaml")
            ? List.of(scenario)
            : List.of("external.yaml", scenario);
    Rendered rendered = Chart.renderWithHooks(files.toArray(String[]::new));
    assertThat(rendered.meshContainers().flatMap(c -> c.getEnv().stream()).map(EnvVar::getName))
        .isNotEmpty()
        .allMatch(SETTING_KEYS::contains);
    assertThat(
            rendered.containers().filter(c -> c.getEnvFrom() != null && !c.getEnvFrom().isEmpty()))
        .isEmpty();
    rendered.containers().forEach(Rendered::env);
  }

  @Test
  void theEnvValuesTheSchemaAcceptsAreSettingsTheChartLeavesToTheUser() throws Exception {
    JsonNode schema = new ObjectMapper().readTree(Chart.DIR.resolve("values.schema.json").toFile());
    Set<String> accepted = new java.util.TreeSet<>();
    schema.at("/definitions/env/propertyNames/enum").forEach(n -> accepted.add(n.asText()));
    assertThat(accepted).isNotEmpty().allMatch(SETTING_KEYS::contains);
    // the identity settings are the user's to give, but the chart renders safe defaults for them
    Set<String> identityDefaults =
        Set.of(
            Setting.IDENTITY_TRUST.key(),
            Setting.IDENTITY_LOCAL_USER.key(),
            Setting.ROLE_EDITORS.key());
    Set<String> chartSets =
        external
            .containers()
            .flatMap(c -> c.getEnv().stream())
            .map(EnvVar::getName)
            .filter(name -> !identityDefaults.contains(name))
            .collect(Collectors.toSet());
    assertThat(accepted).containsAll(identityDefaults).doesNotContainAnyElementsOf(chartSets);

    Map<String, Object> set = new HashMap<>();
    set.put("env.MESH_ROLE_EDITORS", "everyone");
    set.put("gateway.env.MESH_ROLE_EDITORS", "editors");
    // a local user means something in mode local only
    set.put("identity.mode", "local");
    set.put("identity.allowInsecure", true);
    set.put("env.MESH_IDENTITY_LOCAL_USER", "kiosk");
    Rendered overridden = Chart.render(List.of("external.yaml"), set);
    assertThat(value(only(overridden.service("gateway")), "MESH_ROLE_EDITORS"))
        .isEqualTo("editors");
    assertThat(value(only(overridden.service("registry")), "MESH_ROLE_EDITORS"))
        .isEqualTo("everyone");
    // the user's value replaces the chart's default, once (Rendered.env refuses a second)
    assertThat(value(only(overridden.service("gateway")), "MESH_IDENTITY_LOCAL_USER"))
        .isEqualTo("kiosk");
    assertThat(value(only(external.service("gateway")), "MESH_IDENTITY_LOCAL_USER")).isEmpty();
  }

  @Test
  void inlineCredentialsGoIntoTheChartsSecretsAndEnvRefersToThem() {
    Secret database = external.named(Secret.class, "mesh-database");
    assertThat(decode(database.getData().get("password"))).isEqualTo("inline-db-password-1");
    Secret token = external.named(Secret.class, "mesh-registry-token");
    assertThat(decode(token.getData().get("token"))).isEqualTo("inline-registry-token-1");

    for (String component : List.of("gateway", "tracker")) {
      SecretKeySelector password =
          secretRef(only(external.service(component)), Setting.DATABASE_PASSWORD);
      assertThat(password.getName()).isEqualTo("mesh-database");
      assertThat(database.getData()).containsKey(password.getKey());
    }
    SecretKeySelector registryToken =
        secretRef(only(external.service("registry")), Setting.REGISTRY_TOKEN);
    assertThat(registryToken.getName()).isEqualTo("mesh-registry-token");
    assertThat(token.getData()).containsKey(registryToken.getKey());
    assertThat(external.containers().flatMap(c -> c.getEnv().stream()).map(EnvVar::getValue))
        .doesNotContain("inline-db-password-1", "inline-registry-token-1");
  }

  @Test
  void anExistingSecretIsReferencedAndItsValueNeverRendered() {
    String yaml = Chart.template(List.of("existing-secrets.yaml"), Map.of());
    assertThat(yaml)
        .doesNotContain(
            "leftover-db-password-2",
            "leftover-registry-token-2",
            base64("leftover-db-password-2"),
            base64("leftover-registry-token-2"));
    Rendered rendered = new Rendered(Chart.parse(yaml));
    assertThat(rendered.all(Secret.class)).isEmpty();

    for (String component : List.of("gateway", "tracker")) {
      Container container = only(rendered.service(component));
      assertThat(secretRef(container, Setting.DATABASE_USER))
          .returns("mesh-postgres", SecretKeySelector::getName)
          .returns("username", SecretKeySelector::getKey);
      assertThat(secretRef(container, Setting.DATABASE_PASSWORD))
          .returns("mesh-postgres", SecretKeySelector::getName)
          .returns("pg-password", SecretKeySelector::getKey);
    }
    assertThat(secretRef(only(rendered.service("registry")), Setting.REGISTRY_TOKEN))
        .returns("mesh-registry", SecretKeySelector::getName)
        .returns("registry-token", SecretKeySelector::getKey);
    assertThat(secretRef(only(rendered.service("gateway")), Setting.ACCOUNTS_ADMIN_PASSWORD))
        .returns("mesh-admin", SecretKeySelector::getName)
        .returns("first-password", SecretKeySelector::getKey);
  }

  @Test
  void noTokenMeansAGeneratedTokenInTheChartsSecret() {
    // a registry without a token would take anonymous REST registrations: the chart makes one
    Rendered rendered = Chart.render(List.of("external.yaml"), Map.of("registry.token", ""));
    Secret token = rendered.named(Secret.class, "mesh-registry-token");
    assertThat(decode(token.getData().get("token"))).hasSize(40).matches("[A-Za-z0-9]+");
    assertThat(secretRef(only(rendered.service("registry")), Setting.REGISTRY_TOKEN))
        .returns("mesh-registry-token", SecretKeySelector::getName)
        .returns("token", SecretKeySelector::getKey);
  }

  @Test
  void ingressAndAutoscalersTakeOverExposureAndReplicas() {
    Rendered rendered = Chart.render("external.yaml", "ingress-hpa.yaml");
    Ingress ingress = rendered.named(Ingress.class, "mesh-gateway");
    var backend =
        ingress.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService();
    Service gateway = rendered.named(Service.class, backend.getName());
    assertThat(gateway.getSpec().getPorts())
        .anyMatch(p -> p.getName().equals(backend.getPort().getName()));
    assertThat(gateway.getSpec().getSelector())
        .containsEntry("app.kubernetes.io/component", "gateway");
    assertThat(ingress.getMetadata().getAnnotations())
        .containsEntry("nginx.ingress.kubernetes.io/proxy-read-timeout", "3600")
        .containsEntry("nginx.ingress.kubernetes.io/proxy-send-timeout", "3600");
    assertThat(ingress.getSpec().getTls().get(0).getSecretName()).isEqualTo("dashboards-tls");
    // behind TLS the session cookie is sent over HTTPS only
    assertThat(value(only(rendered.service("gateway")), Setting.SESSION_COOKIE_SECURE.key()))
        .isEqualTo("true");
    assertThat(value(only(external.service("gateway")), Setting.SESSION_COOKIE_SECURE.key()))
        .isEqualTo("false");
    // the ingress is one more proxy in front of the tracker
    assertThat(value(only(rendered.service("tracker")), Setting.TRACKER_PROXY_HOPS.key()))
        .isEqualTo("2");
    assertThat(value(only(external.service("tracker")), Setting.TRACKER_PROXY_HOPS.key()))
        .isEqualTo("1");

    for (String component : SERVICES) {
      Deployment deployment = rendered.service(component);
      assertThat(deployment.getSpec().getReplicas())
          .as("the autoscaler owns the replicas")
          .isNull();
      HorizontalPodAutoscaler hpa =
          rendered.named(HorizontalPodAutoscaler.class, deployment.getMetadata().getName());
      assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
      assertThat(hpa.getSpec().getScaleTargetRef().getName())
          .isEqualTo(deployment.getMetadata().getName());
    }
    assertThat(external.all(HorizontalPodAutoscaler.class)).isEmpty();
    assertThat(external.all(Ingress.class)).isEmpty();
  }

  @Test
  void thePinotJobRunsTheTrackerImageAfterInstallAndUpgrade() {
    Rendered rendered = Chart.renderWithHooks("external.yaml", "pinot.yaml");
    Job job = rendered.named(Job.class, "mesh-pinot-setup");
    assertThat(job.getMetadata().getAnnotations())
        .containsEntry(Chart.HOOK, "post-install,post-upgrade");
    Container setup = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    Container tracker = only(rendered.service("tracker"));
    assertThat(setup.getImage()).isEqualTo(tracker.getImage());
    assertThat(setup.getArgs()).containsExactly("pinot-setup");
    assertThat(env(setup))
        .containsOnlyKeys(
            Setting.PINOT_CONTROLLER_URL.key(),
            Setting.PINOT_TABLE.key(),
            Setting.KAFKA_BOOTSTRAP.key(),
            Setting.TRACKER_TOPIC.key());
    assertThat(value(setup, Setting.PINOT_CONTROLLER_URL.key()))
        .isEqualTo("http://pinot-controller.pinot.svc.cluster.local:9000");
    assertThat(value(setup, Setting.KAFKA_BOOTSTRAP.key()))
        .isEqualTo(value(tracker, Setting.KAFKA_BOOTSTRAP.key()));
    assertThat(value(setup, Setting.TRACKER_TOPIC.key()))
        .isEqualTo(value(tracker, Setting.TRACKER_TOPIC.key()));
    assertThat(value(setup, Setting.PINOT_TABLE.key()))
        .isEqualTo("shop_hits")
        .isEqualTo(value(tracker, Setting.PINOT_TABLE.key()));
    assertThat(value(tracker, Setting.TRACKER_QUERY_BACKEND.key())).isEqualTo("pinot");
    assertThat(value(tracker, Setting.PINOT_BROKER_URL.key()))
        .isEqualTo("http://pinot-broker.pinot.svc.cluster.local:8099");
    assertThat(external.all(Job.class)).isEmpty();
  }

  @Test
  void provisionedLayoutsAreAFolderOnTheGateway() throws Exception {
    Rendered rendered = Chart.render("external.yaml", "layouts.yaml");
    ConfigMap layouts = rendered.named(ConfigMap.class, "mesh-layouts");
    assertThat(layouts.getData()).containsOnlyKeys("sales.json", "traffic.json");
    JsonNode sales = new ObjectMapper().readTree(layouts.getData().get("sales.json"));
    assertThat(sales.path("format").asText()).isEqualTo("mesh-layout");
    assertThat(sales.at("/content/config/root/content/1/componentState/widget").asText())
        .isEqualTo("sales-chart");

    assertLayoutsMounted(rendered, "mesh-layouts");
    assertThat(only(external.service("gateway")).getEnv())
        .noneMatch(e -> e.getName().equals(Setting.LAYOUTS_DIR.key()));

    Rendered existing =
        Chart.render(List.of("external.yaml"), Map.of("gateway.layoutsConfigMap", "team-layouts"));
    assertThat(existing.find(ConfigMap.class, "mesh-layouts")).isEmpty();
    assertLayoutsMounted(existing, "team-layouts");
    // a layout that is not an export document is refused before it reaches the gateway
    assertThatThrownBy(
            () ->
                Chart.template(
                    List.of("external.yaml"), Map.of("gateway.layouts.x\\.json.name", "X")))
        .hasMessageContaining("format");
  }

  private static void assertLayoutsMounted(Rendered rendered, String configMap) {
    Deployment gateway = rendered.service("gateway");
    Container container = only(gateway);
    String folder = value(container, Setting.LAYOUTS_DIR.key());
    VolumeMount mount =
        container.getVolumeMounts().stream()
            .filter(m -> m.getMountPath().equals(folder))
            .findFirst()
            .orElseThrow(() -> new AssertionError("nothing mounted at " + folder));
    assertThat(mount.getSubPath()).as("a folder mount, so updates arrive").isNull();
    Volume volume =
        gateway.getSpec().getTemplate().getSpec().getVolumes().stream()
            .filter(v -> v.getName().equals(mount.getName()))
            .findFirst()
            .orElseThrow();
    assertThat(volume.getConfigMap().getName()).isEqualTo(configMap);
  }

  @Test
  void aTeamsWidgetServerGetsAWidgetHostSidecar() throws Exception {
    Rendered rendered = Chart.render("external.yaml", "sidecar.yaml");
    Deployment team = rendered.named(Deployment.class, "mesh-orders-widgets");
    assertThat(team.getSpec().getTemplate().getSpec().getContainers())
        .extracting(Container::getName)
        .containsExactly("server", "mesh-sidecar");
    Container sidecar = container(team, "mesh-sidecar");
    assertThat(sidecar.getImage()).isEqualTo(only(rendered.service("widget-host")).getImage());
    assertThat(value(sidecar, Setting.WIDGET_HOST_MODE.key())).isEqualTo("sidecar");
    assertThat(value(sidecar, Setting.REGISTRY_URL.key()))
        .isEqualTo("http://mesh-gateway." + Chart.NAMESPACE + ".svc.cluster.local:8080");
    rendered.named(Service.class, "mesh-gateway");
    assertThat(secretRef(sidecar, Setting.REGISTRY_TOKEN).getName())
        .isEqualTo("mesh-registry-token");

    Path manifest = Path.of(value(sidecar, Setting.SIDECAR_MANIFEST.key()));
    VolumeMount mount =
        sidecar.getVolumeMounts().stream()
            .filter(m -> Path.of(m.getMountPath()).equals(manifest.getParent()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the manifest's folder is not mounted"));
    assertThat(mount.getSubPath()).isNull();
    String configMap =
        team.getSpec().getTemplate().getSpec().getVolumes().stream()
            .filter(v -> v.getName().equals(mount.getName()))
            .findFirst()
            .orElseThrow()
            .getConfigMap()
            .getName();
    JsonNode manifests =
        new ObjectMapper()
            .readTree(
                rendered
                    .named(ConfigMap.class, configMap)
                    .getData()
                    .get(manifest.getFileName().toString()));
    assertThat(manifests.get(0).path("id").asText()).isEqualTo("orders-table");

    int healthPort = Integer.parseInt(value(sidecar, Setting.WIDGET_HOST_PORT.key()));
    assertProbe(sidecar, sidecar.getReadinessProbe(), Health.READY_PATH, healthPort);
    assertProbe(sidecar, sidecar.getLivenessProbe(), Health.LIVE_PATH, healthPort);
    assertThat(team.getSpec().getTemplate().getMetadata().getLabels())
        .doesNotContainKey(CLUSTER_LABEL);
    Service server = rendered.named(Service.class, "mesh-orders-widgets");
    assertThat(team.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(server.getSpec().getSelector());
  }

  @Test
  void networkPoliciesOpenExactlyTheClusterPortsBetweenMembers() {
    Rendered rendered = Chart.render("external.yaml", "network-policy.yaml");
    NetworkPolicy cluster = rendered.named(NetworkPolicy.class, "mesh-cluster");
    Map<String, String> members = cluster.getSpec().getPodSelector().getMatchLabels();
    NetworkPolicyIngressRule fromMembers = cluster.getSpec().getIngress().get(0);
    assertThat(fromMembers.getFrom().get(0).getPodSelector().getMatchLabels()).isEqualTo(members);
    Set<String> ports =
        fromMembers.getPorts().stream()
            .map(p -> p.getPort().getStrVal())
            .collect(Collectors.toSet());
    assertThat(ports).containsExactlyInAnyOrder("hazelcast", "eventbus", "http", "query");

    for (String component : SERVICES) {
      Deployment deployment = rendered.service(component);
      assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
          .containsAllEntriesOf(members);
      Container member = only(deployment);
      // every port a member listens on for others is named in the policy
      assertThat(member.getPorts()).allMatch(p -> ports.contains(p.getName()));
    }
    Set<String> namedPorts =
        only(rendered.service("tracker")).getPorts().stream()
            .map(p -> p.getName())
            .collect(Collectors.toSet());
    assertThat(namedPorts).contains("query");

    NetworkPolicy gateway = rendered.named(NetworkPolicy.class, "mesh-gateway");
    assertThat(rendered.service("gateway").getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(gateway.getSpec().getPodSelector().getMatchLabels());
    NetworkPolicyIngressRule toGateway = gateway.getSpec().getIngress().get(0);
    assertThat(toGateway.getPorts())
        .extracting(NetworkPolicyPort::getPort)
        .extracting(p -> p.getStrVal())
        .containsExactly("http");
    assertThat(toGateway.getFrom())
        .anyMatch(
            peer ->
                peer.getNamespaceSelector() != null
                    && "ingress-nginx"
                        .equals(
                            peer.getNamespaceSelector()
                                .getMatchLabels()
                                .get("kubernetes.io/metadata.name")));
    assertThat(external.all(NetworkPolicy.class)).isEmpty();
  }

  @Test
  void helmTestAsksTheGatewaysReadiness() {
    Rendered withHooks = Chart.renderWithHooks("external.yaml");
    Pod test = withHooks.all(Pod.class).stream().findFirst().orElseThrow();
    assertThat(test.getMetadata().getAnnotations()).containsEntry(Chart.HOOK, "test");
    Service gateway = external.named(Service.class, "mesh-gateway");
    String url =
        "http://"
            + gateway.getMetadata().getName()
            + "."
            + Chart.NAMESPACE
            + ".svc.cluster.local:"
            + gateway.getSpec().getPorts().get(0).getPort()
            + Health.READY_PATH;
    assertThat(test.getSpec().getContainers().get(0).getCommand()).contains(url);
  }

  @Test
  void theInstallNotesTellHowToReachTheGatewayAndReadTheToken() {
    String notes =
        new com.marcnuri.helm.Helm(Chart.DIR)
            .install()
            .withName(Chart.RELEASE)
            .withNamespace(Chart.NAMESPACE)
            .withKubeVersion(Chart.KUBE_VERSION)
            .dryRun()
            .clientOnly()
            .withValuesFile(Chart.VALUES.resolve("existing-secrets.yaml"))
            .call()
            .getOutput();
    assertThat(notes)
        .contains(
            "port-forward svc/"
                + external.named(Service.class, "mesh-gateway").getMetadata().getName())
        .contains("helm test " + Chart.RELEASE)
        .contains("from your Secret mesh-registry, key registry-token")
        .contains("the one in your Secret mesh-admin, key first-password")
        .contains("get secret mesh-admin -o jsonpath='{.data.first-password}' | base64 -d");

    String withoutToken =
        new com.marcnuri.helm.Helm(Chart.DIR)
            .install()
            .withName(Chart.RELEASE)
            .withNamespace(Chart.NAMESPACE)
            .withKubeVersion(Chart.KUBE_VERSION)
            .dryRun()
            .clientOnly()
            .withValuesFile(Chart.VALUES.resolve("external.yaml"))
            .set("registry.token", "")
            .set("ingress.enabled", true)
            .set("ingress.host", "dashboards.example.com")
            .call()
            .getOutput();
    assertThat(withoutToken)
        .contains(
            "kubectl -n "
                + Chart.NAMESPACE
                + " get secret mesh-registry-token -o jsonpath='{.data.token}' | base64 -d")
        .contains("http://dashboards.example.com/ sends you to the sign-in page")
        .contains("get secret mesh-admin -o jsonpath='{.data.password}' | base64 -d");
  }

  @Test
  void everyObjectCarriesTheStandardLabels() {
    for (HasMetadata object :
        Chart.render(
                "external.yaml",
                "pinot.yaml",
                "sidecar.yaml",
                "ingress-hpa.yaml",
                "layouts.yaml",
                "network-policy.yaml")
            .objects()) {
      assertThat(object.getMetadata().getLabels())
          .as(object.getKind() + " " + object.getMetadata().getName())
          .containsEntry("app.kubernetes.io/name", "mesh")
          .containsEntry("app.kubernetes.io/instance", Chart.RELEASE)
          .containsEntry("app.kubernetes.io/managed-by", "Helm")
          .containsKeys("app.kubernetes.io/version", "helm.sh/chart");
    }
  }

  private static SecretKeySelector secretRef(Container container, Setting setting) {
    EnvVar env = env(container).get(setting.key());
    assertThat(env).as(container.getName() + " sets " + setting.key()).isNotNull();
    assertThat(env.getValue()).as("never inline").isNull();
    return env.getValueFrom().getSecretKeyRef();
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  private static String base64(String plain) {
    return Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }
}
