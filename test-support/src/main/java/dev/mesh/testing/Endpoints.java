package dev.mesh.testing;

import dev.mesh.common.MeshNode;
import dev.mesh.common.MeshVerticle;
import io.vertx.servicediscovery.Record;
import io.vertx.servicediscovery.ServiceDiscovery;
import java.time.Duration;

/**
 * Finds the HTTP port a member's service listens on, from the discovery record the service
 * published.
 */
public final class Endpoints {

  private Endpoints() {}

  /**
   * The port of the HTTP endpoint record named {@code service} that {@code node} published (with
   * several members running the same service, each has a record of its own, told apart by their
   * member id).
   */
  public static int httpPort(MeshNode node, String service) {
    Record record =
        Poll.until(
            Duration.ofSeconds(10),
            "the '" + service + "' endpoint record of member " + node.nodeId(),
            () -> find(node, service),
            r -> r != null);
    return record.getLocation().getInteger("port");
  }

  private static Record find(MeshNode node, String service) {
    ServiceDiscovery discovery = ServiceDiscovery.create(node.vertx());
    try {
      return TestCluster.await(
          discovery.getRecord(
              r ->
                  service.equals(r.getName())
                      && node.nodeId().equals(r.getMetadata().getString(MeshVerticle.MEMBER))));
    } finally {
      discovery.close();
    }
  }
}
