package dev.mesh.widgethost.sidecar;

import static dev.mesh.testing.TestManifests.manifest;
import static dev.mesh.widgethost.sidecar.SidecarManifests.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.common.MeshConfig;
import dev.mesh.common.Setting;
import dev.mesh.testing.ChildJvm;
import dev.mesh.widgethost.WidgetHostMain;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sidecar with a bad configuration does not start, and says which setting or file is wrong and
 * how. No registry needed: nothing is registered before the configuration is known to be good.
 */
class SidecarConfigurationTest {

  private static Vertx vertx;

  @TempDir Path dir;

  @BeforeAll
  static void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void noManifestFileNamed() {
    assertThat(startFailure(config(null)))
        .isEqualTo(
            "MESH_SIDECAR_MANIFEST is not set: in sidecar mode it names the JSON file of the widget manifest(s) to register");
  }

  @Test
  void missingFile() {
    Path missing = dir.resolve("nowhere.json");
    assertThat(startFailure(config(missing)))
        .isEqualTo("MESH_SIDECAR_MANIFEST file '" + missing + "' does not exist");
  }

  @Test
  void notJsonSaysWhereTheParserStopped() {
    Path file = write(dir.resolve("widget.json"), "id: orders");
    assertThat(startFailure(config(file)))
        .startsWith(
            "MESH_SIDECAR_MANIFEST file '" + file + "' is not valid JSON: Unrecognized token 'id'")
        .endsWith(" at line 1, column 4")
        .doesNotContain("Source");
  }

  @Test
  void emptyFile() {
    Path file = write(dir.resolve("widget.json"), "\n");
    assertThat(startFailure(config(file)))
        .isEqualTo(
            "MESH_SIDECAR_MANIFEST file '"
                + file
                + "' is empty: it must hold a manifest object or an array of them");
  }

  @Test
  void neitherObjectNorArray() {
    Path file = write(dir.resolve("widget.json"), "\"orders\"");
    assertThat(startFailure(config(file)))
        .isEqualTo(
            "MESH_SIDECAR_MANIFEST file '"
                + file
                + "' must hold a manifest object or an array of them, not a JSON String");
  }

  @Test
  void emptyArray() {
    Path file = write(dir.resolve("widget.json"), "[]");
    assertThat(startFailure(config(file)))
        .isEqualTo(
            "MESH_SIDECAR_MANIFEST file '"
                + file
                + "' holds an empty array: list at least one widget manifest");
  }

  @Test
  void manifestAgainstTheContractNamesTheManifestAndTheField() {
    Path file =
        write(
            dir.resolve("widgets.json"),
            manifest("fine"),
            manifest("broken").put("version", "one"));
    assertThat(startFailure(config(file)))
        .startsWith(
            "MESH_SIDECAR_MANIFEST file '"
                + file
                + "': manifest 2 of 2 (id 'broken') is invalid: /version: ");
  }

  @Test
  void missingRequiredFields() {
    Path file =
        write(
            dir.resolve("widget.json"),
            "{\"id\": \"no-owner\", \"tag\": \"no-owner\", \"label\": \"x\"}");
    String failure = startFailure(config(file));
    assertThat(failure)
        .startsWith(
            "MESH_SIDECAR_MANIFEST file '" + file + "': the manifest (id 'no-owner') is invalid: ");
    assertThat(failure).contains("owner").contains("module").contains("version");
  }

  @Test
  void sameIdTwice() {
    Path file =
        write(
            dir.resolve("widgets.json"),
            manifest("twice"),
            manifest("twice").put("label", "Again"));
    assertThat(startFailure(config(file)))
        .isEqualTo("MESH_SIDECAR_MANIFEST file '" + file + "' names the widget id 'twice' twice");
  }

  @Test
  void registryUrlThatIsNoHttpBaseUrl() {
    Path file = write(dir.resolve("widget.json"), manifest("fine"));
    assertThat(startFailure(config(file).with(Setting.REGISTRY_URL, "mesh-gateway:8080")))
        .isEqualTo(
            "MESH_REGISTRY_URL must be the http(s) base URL of the registry's REST API, such as http://mesh-gateway:8080, got 'mesh-gateway:8080'");
  }

  @Test
  void portThatIsNoPort() {
    Path file = write(dir.resolve("widget.json"), manifest("fine"));
    assertThat(startFailure(config(file).with(Setting.WIDGET_HOST_PORT, "eighty")))
        .isEqualTo("MESH_WIDGET_HOST_PORT must be an integer, got 'eighty'");
  }

  @Test
  void portInUse() throws Exception {
    Path file = write(dir.resolve("widget.json"), manifest("fine"));
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      assertThat(startFailure(config(file).with(Setting.WIDGET_HOST_PORT, taken.getLocalPort())))
          .startsWith(
              "MESH_WIDGET_HOST_PORT " + taken.getLocalPort() + " on 127.0.0.1 cannot be used: ");
    }
  }

  @Test
  void theProcessExitsWithOneLineNamingTheFileAndTheProblem() {
    Path file = write(dir.resolve("widget.json"), manifest("bad-version").put("version", "latest"));
    try (ChildJvm process =
        widgetHost(
            Map.of(
                Setting.WIDGET_HOST_MODE.key(), "sidecar",
                Setting.SIDECAR_MANIFEST.key(), file.toString(),
                Setting.WIDGET_HOST_PORT.key(), "0"))) {
      assertThat(process.exitCode(Duration.ofSeconds(60))).isEqualTo(1);
      assertThat(process.lines()).as("the whole output").hasSize(1);
      assertThat(process.lines().get(0))
          .contains("SEVERE")
          .contains(
              "widget-host sidecar failed to start: MESH_SIDECAR_MANIFEST file '"
                  + file
                  + "': the manifest (id 'bad-version') is invalid: /version");
    }
  }

  @Test
  void theProcessExitsWithOneLineOnAnUnknownMode() {
    try (ChildJvm process = widgetHost(Map.of(Setting.WIDGET_HOST_MODE.key(), "side-car"))) {
      assertThat(process.exitCode(Duration.ofSeconds(60))).isEqualTo(1);
      assertThat(process.lines()).as("the whole output").hasSize(1);
      assertThat(process.lines().get(0))
          .contains("SEVERE")
          .contains(
              "widget-host failed to start: MESH_WIDGET_HOST_MODE must be one of [serve, sidecar], got 'side-car'");
    }
  }

  private static MeshConfig config(Path manifestFile) {
    return MeshConfig.defaults()
        .with(Setting.SIDECAR_MANIFEST, manifestFile)
        .with(Setting.WIDGET_HOST_PORT, 0)
        .with(Setting.BIND_HOST, "127.0.0.1")
        // nothing listens there: a sidecar that started anyway would only retry
        .with(Setting.REGISTRY_URL, "http://127.0.0.1:9");
  }

  /** The message of the failed start; fails the test if the sidecar started. */
  private static String startFailure(MeshConfig config) {
    try {
      String deployment =
          vertx
              .deployVerticle(
                  new SidecarVerticle(), new DeploymentOptions().setConfig(config.toJson()))
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      vertx.undeploy(deployment);
      throw new AssertionError("The sidecar started with " + config.toJson().encode());
    } catch (java.util.concurrent.ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(IllegalArgumentException.class);
      return e.getCause().getMessage();
    } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError(e);
    }
  }

  /** {@link WidgetHostMain} in a JVM of its own, configured as in a pod. */
  private static ChildJvm widgetHost(Map<String, String> settings) {
    return ChildJvm.of(WidgetHostMain.class).name("widget-host").heap("128m").env(settings).start();
  }
}
