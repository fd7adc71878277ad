package dev.mesh.gateway.layouts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mesh.common.MeshConfig;
import dev.mesh.common.Setting;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who the gateway takes a caller for: the identity headers count only as far as the trust setting
 * says, otherwise the caller is the local user, or nobody (401). One gateway, restarted with each
 * setting on the same database.
 */
class LayoutIdentityTest {

  private static LayoutsUnderTest gateway;

  /**
   * This machine's address on its network: a peer that is not loopback, or null when there is none.
   */
  private static String lanAddress;

  @BeforeAll
  static void start() throws SocketException {
    gateway = LayoutsUnderTest.start(config -> config.with(Setting.BIND_HOST, "0.0.0.0"));
    lanAddress =
        Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
            .flatMap(n -> Collections.list(n.getInetAddresses()).stream())
            .filter(
                a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
            .map(InetAddress::getHostAddress)
            .findFirst()
            .orElse(null);
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static void configure(UnaryOperator<MeshConfig> identity) {
    gateway.restart(
        config ->
            identity.apply(
                config
                    .with(Setting.IDENTITY_TRUST, Setting.IDENTITY_TRUST.defaultValue())
                    .with(Setting.IDENTITY_LOCAL_USER, Setting.IDENTITY_LOCAL_USER.defaultValue())
                    .with(Setting.ROLE_ADMINS, Setting.ROLE_ADMINS.defaultValue())
                    .with(Setting.ROLE_EDITORS, Setting.ROLE_EDITORS.defaultValue())));
  }

  private static MultiMap headers(String user, String groups) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("X-Forwarded-User", user);
    if (groups != null) {
      headers.add("X-Forwarded-Groups", groups);
    }
    return headers;
  }

  private static JsonObject me(Caller caller) {
    Reply reply = caller.get("/api/me");
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return reply.json();
  }

  @Test
  void byDefaultTheLocalUserIsAnEditorAndHeadersFromLoopbackAreBelieved() {
    configure(config -> config);

    assertThat(me(gateway.anonymous()))
        .isEqualTo(
            new JsonObject()
                .put("user", "local")
                .put("groups", new JsonArray())
                .put("role", "editor"));
    assertThat(me(gateway.at("127.0.0.1", headers(" alice ", "sales, finance,,sales"))))
        .isEqualTo(
            new JsonObject()
                .put("user", "alice")
                .put("groups", new JsonArray().add("sales").add("finance"))
                .put("role", "editor"));

    String id = gateway.as("alice").create("Alice's", Contents.row("sales-table")).getString("id");
    assertThat(gateway.as("alice").layout(id).getString("owner")).isEqualTo("alice");
    assertThat(gateway.anonymous().get("/api/layouts/" + id).status()).isEqualTo(404);
  }

  @Test
  void headersFromAnotherMachineAreIgnoredUnderLoopbackTrust() {
    assumeTrue(lanAddress != null, "this machine has no non-loopback IPv4 address");
    configure(config -> config);

    assertThat(me(gateway.at(lanAddress, headers("alice", "platform"))).getString("user"))
        .isEqualTo("local");
  }

  @Test
  void alwaysTrustBelievesHeadersFromAnywhere() {
    configure(config -> config.with(Setting.IDENTITY_TRUST, "always"));

    String from = lanAddress != null ? lanAddress : "127.0.0.1";
    assertThat(me(gateway.at(from, headers("alice", "sales"))).getString("user"))
        .isEqualTo("alice");
  }

  @Test
  void neverTrustIgnoresTheHeadersEvenFromLoopback() {
    configure(config -> config);
    String id =
        gateway.as("alice").create("Private to alice", Contents.row("sales-table")).getString("id");

    configure(config -> config.with(Setting.IDENTITY_TRUST, "never"));

    assertThat(me(gateway.as("alice")).getString("user")).isEqualTo("local");
    assertThat(gateway.as("alice").get("/api/layouts/" + id).status())
        .as("no impersonation")
        .isEqualTo(404);
    JsonObject made = gateway.as("mallory").create("Made under never", Contents.row("sales-table"));
    assertThat(made.getString("owner")).isEqualTo("local");
  }

  @Test
  void withoutALocalUserAnUnnamedCallerMustSignIn() {
    configure(
        config ->
            config.with(Setting.IDENTITY_TRUST, "always").with(Setting.IDENTITY_LOCAL_USER, ""));

    Reply me = gateway.anonymous().get("/api/me");
    assertThat(me.status()).isEqualTo(401);
    assertThat(me.message()).startsWith("Sign in").contains("X-Forwarded-User");
    String before = gateway.rowCounts();
    Reply create =
        gateway
            .anonymous()
            .post(
                "/api/layouts",
                new JsonObject().put("name", "x").put("content", Contents.row("a")));
    assertThat(create.status()).isEqualTo(401);
    assertThat(gateway.anonymous().get("/api/layouts").status()).isEqualTo(401);
    assertThat(gateway.rowCounts()).isEqualTo(before);

    assertThat(me(gateway.as("alice")).getString("user")).isEqualTo("alice");
  }

  @Test
  void unusableIdentityHeadersAre400() {
    configure(config -> config);

    Reply tooLong = gateway.at("127.0.0.1", headers("a".repeat(201), null)).get("/api/me");
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.message()).contains("X-Forwarded-User").contains("200");
    Reply badGroup =
        gateway.at("127.0.0.1", headers("alice", "sales," + "g".repeat(201))).get("/api/me");
    assertThat(badGroup.status()).isEqualTo(400);
    assertThat(badGroup.message()).contains("X-Forwarded-Groups");
  }

  @Test
  void rolesComeFromTheUserOrTheirGroups() {
    configure(
        config ->
            config
                .with(Setting.ROLE_ADMINS, "root,platform")
                .with(Setting.ROLE_EDITORS, "dashboard-builders,erin"));

    assertThat(me(gateway.as("root")).getString("role")).isEqualTo("admin");
    assertThat(me(gateway.as("pat", "platform")).getString("role")).isEqualTo("admin");
    assertThat(me(gateway.as("erin")).getString("role")).isEqualTo("editor");
    assertThat(me(gateway.as("bill", "dashboard-builders")).getString("role")).isEqualTo("editor");
    assertThat(me(gateway.as("vic", "sales")).getString("role")).isEqualTo("viewer");
    assertThat(me(gateway.anonymous()).getString("role"))
        .as("the local user is not listed")
        .isEqualTo("viewer");
  }
}
