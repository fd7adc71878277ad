package dev.mesh.gateway.layouts;

import static dev.mesh.testing.TestCluster.await;

import dev.mesh.common.MeshConfig;
import dev.mesh.common.MeshNode;
import dev.mesh.common.Setting;
import dev.mesh.gateway.GatewayVerticle;
import dev.mesh.testing.Ports;
import dev.mesh.testing.TestCluster;
import dev.mesh.testing.TestDatabase;
import dev.mesh.testing.TestPostgres;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.client.WebClient;
import java.util.function.UnaryOperator;

/**
 * A real gateway on a real (one-member) cluster, with a database of its own on the test PostgreSQL
 * ({@link TestPostgres}): what a test class starts once and closes after its tests. It can be
 * restarted on the same database and port, as a redeployed gateway would be.
 */
final class LayoutsUnderTest implements AutoCloseable {

  private final TestCluster cluster;
  private final MeshNode node;
  private final TestDatabase database;
  private final WebClient client;
  private final int port;
  private MeshConfig config;
  private String deployment;

  private LayoutsUnderTest(TestDatabase database, UnaryOperator<MeshConfig> settings) {
    this.cluster = new TestCluster();
    this.database = database;
    this.port = Ports.free();
    MeshConfig base = cluster.config().with(Setting.GATEWAY_PORT, port);
    if (database != null) {
      base = base.with(Setting.DATABASE_URL, database.url());
    }
    this.config = settings.apply(base);
    this.node = cluster.start(cluster.config());
    this.client = WebClient.create(node.vertx());
    deploy();
  }

  /** A gateway with a fresh database and the settings changed by {@code settings}. */
  static LayoutsUnderTest start(UnaryOperator<MeshConfig> settings) {
    return new LayoutsUnderTest(TestPostgres.newDatabase("layouts"), settings);
  }

  static LayoutsUnderTest start() {
    return start(config -> config);
  }

  /** A gateway with no database configured, as the existing gateway tests run it. */
  static LayoutsUnderTest withoutDatabase() {
    return new LayoutsUnderTest(null, config -> config);
  }

  /** A gateway on a database of the test's own (which need not be up yet). */
  static LayoutsUnderTest onDatabase(String url) {
    return new LayoutsUnderTest(null, config -> config.with(Setting.DATABASE_URL, url));
  }

  private void deploy() {
    deployment =
        await(
            node.vertx()
                .deployVerticle(
                    new GatewayVerticle(), new DeploymentOptions().setConfig(config.toJson())));
  }

  /**
   * Stops the gateway and starts it again, on the same database, with settings changed by {@code
   * settings}.
   */
  void restart(UnaryOperator<MeshConfig> settings) {
    await(node.vertx().undeploy(deployment));
    config = settings.apply(config);
    deploy();
  }

  /** The gateway's database, for reading what it stored. */
  TestDatabase database() {
    return database;
  }

  /**
   * How many layouts, revisions and shares are stored: what a refused request must leave unchanged.
   */
  String rowCounts() {
    return database.number("SELECT count(*) FROM layouts.layouts")
        + " layouts, "
        + database.number("SELECT count(*) FROM layouts.layout_revisions")
        + " revisions, "
        + database.number("SELECT count(*) FROM layouts.layout_shares")
        + " shares";
  }

  int port() {
    return port;
  }

  MeshNode node() {
    return node;
  }

  /** A user (and their groups) as the authenticating proxy names them, from loopback. */
  Caller as(String user, String... groups) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("X-Forwarded-User", user);
    if (groups.length > 0) {
      headers.add("X-Forwarded-Groups", String.join(",", groups));
    }
    return new Caller(client, "127.0.0.1", port, headers);
  }

  /** A request without identity headers (the local user, if there is one). */
  Caller anonymous() {
    return new Caller(client, "127.0.0.1", port, MultiMap.caseInsensitiveMultiMap());
  }

  /** A caller with the given headers, reaching the gateway at {@code host}. */
  Caller at(String host, MultiMap headers) {
    return new Caller(client, host, port, headers);
  }

  @Override
  public void close() {
    client.close();
    cluster.close();
  }
}
