package dev.mesh.helm;

import static dev.mesh.helm.Rendered.env;
import static dev.mesh.helm.Rendered.only;
import static dev.mesh.helm.Rendered.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import dev.mesh.common.Setting;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * `helm install mesh ./helm/mesh` with no values: the bundled PostgreSQL and Kafka, the generated
 * credentials Helm's lookup keeps across upgrades, identity mode accounts with the first admin's
 * password in a Secret, and the switch to external data stores. Upgrades are rendered against
 * {@link KubeApiStandIn}, which plays the Secrets an earlier install left.
 */
class FirstInstallTest {

  private static final KubeApiStandIn KUBE = KubeApiStandIn.shared();

  @AfterEach
  void forgetTheEarlierInstall() {
    KUBE.clear();
  }

  @Test
  void noValuesInstallMeshWithABundledPostgresqlAndKafka() {
    Rendered rendered = Chart.render();
    assertThat(rendered.all(Deployment.class)).hasSize(4);
    StatefulSet postgres = rendered.named(StatefulSet.class, "mesh-postgresql");
    StatefulSet kafka = rendered.named(StatefulSet.class, "mesh-kafka");

    for (StatefulSet set : List.of(postgres, kafka)) {
      String name = set.getMetadata().getName();
      assertThat(set.getSpec().getReplicas()).as(name).isOne();
      // its governing Service is headless; clients use the ClusterIP Service of the same name
      Service governing = rendered.named(Service.class, set.getSpec().getServiceName());
      assertThat(governing.getSpec().getClusterIP()).isEqualTo("None");
      Service clients = rendered.named(Service.class, name);
      assertThat(clients.getSpec().getType()).isEqualTo("ClusterIP");
      assertThat(set.getSpec().getTemplate().getMetadata().getLabels())
          .containsAllEntriesOf(clients.getSpec().getSelector())
          .containsAllEntriesOf(governing.getSpec().getSelector())
          .as("not a Hazelcast member")
          .doesNotContainKey("mesh.dev/cluster");
      // data on a claim per pod
      PersistentVolumeClaim claim = set.getSpec().getVolumeClaimTemplates().get(0);
      assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
      assertThat(claim.getSpec().getResources().getRequests().get("storage"))
          .isEqualTo(new Quantity("8Gi"));
      Container container = Rendered.only(set);
      assertThat(container.getVolumeMounts())
          .anyMatch(m -> m.getName().equals(claim.getMetadata().getName()));
      // probes, requests, no root
      assertThat(container.getStartupProbe()).as(name).isNotNull();
      assertThat(container.getLivenessProbe()).as(name).isNotNull();
      assertThat(container.getReadinessProbe()).as(name).isNotNull();
      assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
      PodSpec pod = set.getSpec().getTemplate().getSpec();
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
      assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
      assertThat(pod.getSecurityContext().getFsGroup())
          .as("the volume is writable by the image's user")
          .isEqualTo(pod.getSecurityContext().getRunAsGroup());
      assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
      assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
      assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    }
    Container pg = Rendered.only(postgres);
    assertThat(pg.getImage()).isEqualTo("postgres:17.6");
    assertThat(pg.getReadinessProbe().getExec().getCommand()).startsWith("pg_isready");
    assertThat(pg.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    Container broker = Rendered.only(kafka);
    assertThat(broker.getImage()).isEqualTo("apache/kafka:3.7.2");
    assertThat(value(broker, "KAFKA_PROCESS_ROLES")).isEqualTo("broker,controller");
    assertThat(broker.getReadinessProbe().getTcpSocket().getPort().getStrVal()).isEqualTo("kafka");

    // the Mesh services are pointed at them
    for (String component : List.of("gateway", "tracker")) {
      Container service = only(rendered.service(component));
      assertThat(value(service, Setting.DATABASE_URL.key()))
          .isEqualTo(
              "postgresql://mesh-postgresql." + Chart.NAMESPACE + ".svc.cluster.local:5432/mesh");
      assertThat(value(service, Setting.DATABASE_USER.key())).isEqualTo("mesh");
      assertThat(secretRef(service, Setting.DATABASE_PASSWORD))
          .returns("mesh-postgresql", SecretKeySelector::getName)
          .returns("password", SecretKeySelector::getKey);
    }
    assertThat(env(pg).get("POSTGRES_PASSWORD").getValueFrom().getSecretKeyRef())
        .isEqualTo(secretRef(only(rendered.service("gateway")), Setting.DATABASE_PASSWORD));
    assertThat(value(only(rendered.service("tracker")), Setting.KAFKA_BOOTSTRAP.key()))
        .isEqualTo("mesh-kafka." + Chart.NAMESPACE + ".svc.cluster.local:9092");
  }

  @Test
  void theDataVolumesAndImagesAreValues() {
    Rendered rendered =
        Chart.render(
            List.of(),
            Map.of(
                "postgresql.persistence.size", "20Gi",
                "postgresql.persistence.storageClassName", "fast",
                "kafka.persistence.size", "50Gi"));
    PersistentVolumeClaim pg =
        rendered
            .named(StatefulSet.class, "mesh-postgresql")
            .getSpec()
            .getVolumeClaimTemplates()
            .get(0);
    assertThat(pg.getSpec().getResources().getRequests().get("storage"))
        .isEqualTo(new Quantity("20Gi"));
    assertThat(pg.getSpec().getStorageClassName()).isEqualTo("fast");
    PersistentVolumeClaim kafka =
        rendered.named(StatefulSet.class, "mesh-kafka").getSpec().getVolumeClaimTemplates().get(0);
    assertThat(kafka.getSpec().getResources().getRequests().get("storage"))
        .isEqualTo(new Quantity("50Gi"));
    assertThat(kafka.getSpec().getStorageClassName()).as("the cluster's default").isNull();
  }

  @Test
  void generatedCredentialsAreKeptAcrossUpgrades() {
    // the first install: nothing in the namespace, so new values are drawn
    Rendered first = Chart.render();
    String password = secret(first, "mesh-postgresql", "password");
    String token = secret(first, "mesh-registry-token", "token");
    String admin = secret(first, "mesh-admin", "password");
    assertThat(password).hasSize(32).matches("[A-Za-z0-9]+");
    assertThat(token).hasSize(40).matches("[A-Za-z0-9]+");
    assertThat(admin).as("within the gateway's 10 to 200 characters").hasSize(24);
    assertThat(admin).matches("[A-Za-z0-9]+");
    assertThat(KUBE.asked())
        .contains(
            Chart.NAMESPACE + "/mesh-postgresql",
            Chart.NAMESPACE + "/mesh-registry-token",
            Chart.NAMESPACE + "/mesh-admin");
    Rendered another = Chart.render();
    assertThat(secret(another, "mesh-postgresql", "password"))
        .as("another first install draws another password")
        .isNotEqualTo(password);
    assertThat(secret(another, "mesh-admin", "password")).isNotEqualTo(admin);

    // the upgrade: Helm's lookup finds the Secrets the install made
    KUBE.putSecret(Chart.NAMESPACE, "mesh-postgresql", Map.of("password", password));
    KUBE.putSecret(Chart.NAMESPACE, "mesh-registry-token", Map.of("token", token));
    KUBE.putSecret(Chart.NAMESPACE, "mesh-admin", Map.of("password", admin));
    Rendered upgrade = Chart.render();
    assertThat(secret(upgrade, "mesh-postgresql", "password")).isEqualTo(password);
    assertThat(secret(upgrade, "mesh-registry-token", "token")).isEqualTo(token);
    assertThat(secret(upgrade, "mesh-admin", "password"))
        .as("the first admin's password the notes showed still opens the account")
        .isEqualTo(admin);
    // and the pods are not rolled for nothing: their checksum of the Secrets stays the same
    assertThat(checksum(Chart.render())).isEqualTo(checksum(upgrade));

    // both are written once (into the data volume, into the people's table), and both outlive an
    // uninstall: so must their Secrets
    for (String name : List.of("mesh-postgresql", "mesh-admin")) {
      assertThat(upgrade.named(Secret.class, name).getMetadata().getAnnotations())
          .as(name)
          .containsEntry("helm.sh/resource-policy", "keep");
    }
  }

  @Test
  void aGivenTokenOrExistingSecretsReplaceTheGeneratedValues() {
    Rendered given = Chart.render(List.of(), Map.of("registry.token", "given-token-1"));
    assertThat(secret(given, "mesh-registry-token", "token")).isEqualTo("given-token-1");

    Rendered existing =
        Chart.render(
            List.of(),
            Map.of(
                "registry.existingSecret", "team-registry",
                "postgresql.existingSecret", "team-postgres",
                "postgresql.passwordKey", "pg",
                "identity.admin.existingSecret", "team-admin",
                "identity.admin.passwordKey", "first-admin"));
    assertThat(existing.all(Secret.class)).isEmpty();
    assertThat(secretRef(only(existing.service("gateway")), Setting.ACCOUNTS_ADMIN_PASSWORD))
        .returns("team-admin", SecretKeySelector::getName)
        .returns("first-admin", SecretKeySelector::getKey);
    assertThat(secretRef(only(existing.service("registry")), Setting.REGISTRY_TOKEN))
        .returns("team-registry", SecretKeySelector::getName);
    SecretKeySelector password =
        secretRef(only(existing.service("tracker")), Setting.DATABASE_PASSWORD);
    assertThat(password)
        .returns("team-postgres", SecretKeySelector::getName)
        .returns("pg", SecretKeySelector::getKey);
    assertThat(
            env(Rendered.only(existing.named(StatefulSet.class, "mesh-postgresql")))
                .get("POSTGRES_PASSWORD")
                .getValueFrom()
                .getSecretKeyRef())
        .isEqualTo(password);
  }

  @Test
  void theTeamsSidecarsSendTheChartsToken() {
    Rendered rendered = Chart.render("sidecar.yaml");
    Container sidecar =
        Rendered.container(rendered.named(Deployment.class, "mesh-orders-widgets"), "mesh-sidecar");
    assertThat(secretRef(sidecar, Setting.REGISTRY_TOKEN))
        .isEqualTo(secretRef(only(rendered.service("registry")), Setting.REGISTRY_TOKEN));
    rendered.named(Secret.class, "mesh-registry-token");
    assertThat(
            rendered
                .named(Deployment.class, "mesh-orders-widgets")
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getAnnotations())
        .as("a new token restarts the sidecars, which read it at start")
        .containsKey("checksum/secrets");
  }

  @Test
  void anExternalPostgresqlAndKafkaReplaceTheBundledOnes() {
    Rendered rendered =
        Chart.render(
            List.of(),
            Map.of(
                "postgresql.enabled", false,
                "database.url", "postgresql://pg.databases:5432/mesh",
                "database.existingSecret", "pg-credentials",
                "kafka.enabled", false,
                "kafka.bootstrap", "kafka.kafka:9092"));
    assertThat(rendered.all(StatefulSet.class)).isEmpty();
    assertThat(rendered.find(Service.class, "mesh-postgresql")).isEmpty();
    assertThat(rendered.find(Service.class, "mesh-kafka")).isEmpty();
    assertThat(rendered.find(Secret.class, "mesh-postgresql")).isEmpty();
    Container tracker = only(rendered.service("tracker"));
    assertThat(value(tracker, Setting.DATABASE_URL.key()))
        .isEqualTo("postgresql://pg.databases:5432/mesh");
    assertThat(value(tracker, Setting.KAFKA_BOOTSTRAP.key())).isEqualTo("kafka.kafka:9092");
    assertThat(secretRef(tracker, Setting.DATABASE_PASSWORD).getName()).isEqualTo("pg-credentials");

    assertThatThrownBy(() -> Chart.template(List.of(), Map.of("postgresql.enabled", false)))
        .hasMessageContaining("database.url is required when postgresql.enabled is false");
    assertThatThrownBy(() -> Chart.template(List.of(), Map.of("kafka.enabled", false)))
        .hasMessageContaining("kafka.bootstrap is required when kafka.enabled is false");
  }

  @Test
  void peopleSignInAsAccountsAndTheFirstAdminsPasswordIsInASecret() {
    Rendered rendered = Chart.render();
    Container gateway = only(rendered.service("gateway"));
    assertThat(value(gateway, Setting.IDENTITY_MODE.key())).isEqualTo("accounts");
    assertThat(value(gateway, Setting.ACCOUNTS_ADMIN_USER.key())).isEqualTo("admin");
    SecretKeySelector password = secretRef(gateway, Setting.ACCOUNTS_ADMIN_PASSWORD);
    assertThat(password)
        .returns("mesh-admin", SecretKeySelector::getName)
        .returns("password", SecretKeySelector::getKey);
    assertThat(secret(rendered, "mesh-admin", "password")).hasSizeBetween(10, 200);
    assertThat(value(gateway, Setting.SESSION_COOKIE_SECURE.key()))
        .as("no ingress, no TLS: the cookie must travel over a plain port-forward")
        .isEqualTo("false");
    // the database the accounts live in
    assertThat(value(gateway, Setting.DATABASE_URL.key())).startsWith("postgresql://");
    // the headers are ignored in this mode; the chart still renders the safe end of them
    assertThat(value(gateway, Setting.IDENTITY_TRUST.key())).isEqualTo("never");
    assertThat(value(gateway, Setting.IDENTITY_LOCAL_USER.key())).isEmpty();
    // a person's role is the one the admin gives: nobody is an editor by the code's default `*`
    assertThat(value(gateway, Setting.ROLE_EDITORS.key())).isEmpty();
    Container everybody =
        only(Chart.render(List.of(), Map.of("env.MESH_ROLE_EDITORS", "*")).service("gateway"));
    assertThat(value(everybody, Setting.ROLE_EDITORS.key())).as("unless env says").isEqualTo("*");
    // only the gateway tells who is calling
    for (String component : List.of("registry", "tracker", "widget-host")) {
      assertThat(env(only(rendered.service(component))))
          .as(component)
          .doesNotContainKeys(
              Setting.IDENTITY_MODE.key(),
              Setting.ACCOUNTS_ADMIN_USER.key(),
              Setting.ACCOUNTS_ADMIN_PASSWORD.key());
    }

    Container root =
        only(Chart.render(List.of(), Map.of("identity.admin.user", "root")).service("gateway"));
    assertThat(value(root, Setting.ACCOUNTS_ADMIN_USER.key())).isEqualTo("root");
    assertThatThrownBy(() -> Chart.template(List.of(), Map.of("identity.admin.user", " root")))
        .hasMessageContaining("/identity/admin/user");
  }

  @Test
  void theSessionCookieIsSecureBehindTheIngresssTls() {
    Map<String, Object> tls =
        Map.of(
            "ingress.enabled", true,
            "ingress.host", "dashboards.example.com",
            "ingress.tlsSecretName", "dashboards-tls");
    assertThat(cookieSecure(tls)).isEqualTo("true");
    assertThat(cookieSecure(Map.of("ingress.enabled", true))).as("plain HTTP").isEqualTo("false");
    Map<String, Object> mine = new java.util.HashMap<>(tls);
    mine.put("identity.sessionCookieSecure", false);
    assertThat(cookieSecure(mine)).as("the value given wins").isEqualTo("false");
    assertThat(cookieSecure(Map.of("identity.sessionCookieSecure", true)))
        .as("TLS ended by a load balancer")
        .isEqualTo("true");
  }

  private static String cookieSecure(Map<String, Object> set) {
    return value(
        only(Chart.render(List.of(), set).service("gateway")), Setting.SESSION_COOKIE_SECURE.key());
  }

  @Test
  void modeLocalIsRefusedUnlessAllowedExplicitly() {
    assertThatThrownBy(() -> Chart.template(List.of(), Map.of("identity.mode", "local")))
        .hasMessageContaining("identity.mode=local is refused")
        .hasMessageContaining("no sign-in")
        .hasMessageContaining("identity.allowInsecure=true");
    assertThatThrownBy(() -> Chart.template(List.of(), Map.of("identity.mode", "oidc")))
        .as("not a mode of the code yet")
        .hasMessageContaining("/identity/mode");

    // allowed: a one-person trial, everybody the user kiosk
    Rendered kiosk =
        Chart.render(
            List.of(),
            Map.of(
                "identity.mode", "local",
                "identity.allowInsecure", true,
                "gateway.env.MESH_IDENTITY_LOCAL_USER", "kiosk"));
    Container gateway = only(kiosk.service("gateway"));
    assertThat(value(gateway, Setting.IDENTITY_MODE.key())).isEqualTo("local");
    assertThat(value(gateway, Setting.IDENTITY_TRUST.key())).isEqualTo("never");
    assertThat(value(gateway, Setting.IDENTITY_LOCAL_USER.key())).isEqualTo("kiosk");
    assertThat(env(gateway))
        .doesNotContainKeys(
            Setting.ACCOUNTS_ADMIN_USER.key(),
            Setting.ACCOUNTS_ADMIN_PASSWORD.key(),
            Setting.SESSION_COOKIE_SECURE.key(),
            Setting.ROLE_EDITORS.key());
    assertThat(kiosk.find(Secret.class, "mesh-admin")).as("no accounts, no admin").isEmpty();

    // the settings only mode local reads do nothing in mode accounts: refused, naming them
    assertThatThrownBy(
            () ->
                Chart.template(List.of(), Map.of("gateway.env.MESH_IDENTITY_LOCAL_USER", "kiosk")))
        .hasMessageContaining("MESH_IDENTITY_LOCAL_USER=\"kiosk\"")
        .hasMessageContaining("read only in identity.mode=local");
  }

  @Test
  void headerTrustForEverybodyOrLoopbackIsRefusedUnlessAllowedExplicitly() {
    assertThatThrownBy(() -> Chart.template(List.of(), Map.of("env.MESH_IDENTITY_TRUST", "always")))
        .hasMessageContaining("MESH_IDENTITY_TRUST=always is refused")
        .hasMessageContaining("anybody could claim to be anybody")
        .hasMessageContaining("identity.allowInsecure=true");
    assertThatThrownBy(
            () -> Chart.template(List.of(), Map.of("gateway.env.MESH_IDENTITY_TRUST", "loopback")))
        .hasMessageContaining("MESH_IDENTITY_TRUST=loopback is refused")
        .hasMessageContaining("every visitor becomes MESH_IDENTITY_LOCAL_USER");
    // as the gateway reads it: in any case, trimmed
    assertThatThrownBy(
            () -> Chart.template(List.of(), Map.of("gateway.env.MESH_IDENTITY_TRUST", " Always ")))
        .hasMessageContaining("MESH_IDENTITY_TRUST=always is refused");
    // on any service's env, not only the gateway's
    assertThatThrownBy(
            () -> Chart.template(List.of(), Map.of("registry.env.MESH_IDENTITY_TRUST", "always")))
        .hasMessageContaining("MESH_IDENTITY_TRUST=always is refused");

    // allowed, and then only in mode local (in mode accounts the headers are ignored)
    assertThatThrownBy(
            () ->
                Chart.template(
                    List.of(),
                    Map.of(
                        "identity.allowInsecure",
                        true,
                        "gateway.env.MESH_IDENTITY_TRUST",
                        "always")))
        .hasMessageContaining("MESH_IDENTITY_TRUST=always")
        .hasMessageContaining("read only in identity.mode=local");
    Rendered allowed =
        Chart.render(
            List.of(),
            Map.of(
                "identity.mode",
                "local",
                "identity.allowInsecure",
                true,
                "gateway.env.MESH_IDENTITY_TRUST",
                "always"));
    assertThat(value(only(allowed.service("gateway")), Setting.IDENTITY_TRUST.key()))
        .isEqualTo("always");
    assertThat(value(only(allowed.service("gateway")), Setting.IDENTITY_MODE.key()))
        .isEqualTo("local");
  }

  @Test
  void theInstallNotesSayHowToReachMeshSignInAndReadTheToken() {
    String notes =
        new Helm(Chart.DIR)
            .install()
            .withName(Chart.RELEASE)
            .withNamespace(Chart.NAMESPACE)
            .withKubeVersion(Chart.KUBE_VERSION)
            .dryRun()
            .clientOnly()
            .call()
            .getOutput();
    assertThat(notes)
        .contains("PostgreSQL: the bundled single node mesh-postgresql")
        .contains("Kafka: the bundled single node mesh-kafka")
        .contains("port-forward svc/mesh-gateway 8080:8080")
        .contains("http://localhost:8080/ sends you to the sign-in page")
        .contains("user:     admin")
        .contains(
            "kubectl -n "
                + Chart.NAMESPACE
                + " get secret mesh-admin -o jsonpath='{.data.password}' | base64 -d")
        .contains("kept across upgrades")
        .contains("/api/admin/people")
        .contains("get secret mesh-registry-token -o jsonpath='{.data.token}' | base64 -d");
  }

  private static String secret(Rendered rendered, String name, String key) {
    String encoded = rendered.named(Secret.class, name).getData().get(key);
    return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
  }

  private static String checksum(Rendered rendered) {
    return rendered
        .service("gateway")
        .getSpec()
        .getTemplate()
        .getMetadata()
        .getAnnotations()
        .get("checksum/secrets");
  }

  private static SecretKeySelector secretRef(Container container, Setting setting) {
    EnvVar env = env(container).get(setting.key());
    assertThat(env).as(container.getName() + " sets " + setting.key()).isNotNull();
    assertThat(env.getValue()).as("never inline").isNull();
    return env.getValueFrom().getSecretKeyRef();
  }
}
