package dev.mesh.gateway;

import dev.mesh.common.MeshVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.servicediscovery.Record;
import io.vertx.servicediscovery.ServiceDiscovery;
import io.vertx.servicediscovery.ServiceDiscoveryOptions;
import io.vertx.servicediscovery.types.HttpEndpoint;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Where each service's HTTP API is right now, from the discovery records the services publish.
 * Kept in memory and refreshed on every discovery announcement (and every few seconds as a safety
 * net), so a proxied request never scans the cluster map.
 */
final class ServiceDirectory {

  private static final long REFRESH_MS = 5000;

  private final ServiceDiscovery discovery;
  private final AtomicInteger next = new AtomicInteger();
  private volatile Map<String, List<SocketAddress>> endpoints = Map.of();

  ServiceDirectory(Vertx vertx, ServiceDiscovery discovery) {
    this.discovery = discovery;
    vertx.eventBus().consumer(ServiceDiscoveryOptions.DEFAULT_ANNOUNCE_ADDRESS, announcement -> refresh());
    vertx.setPeriodic(REFRESH_MS, id -> refresh());
  }

  Future<Void> refresh() {
    return discovery.getRecords(r -> HttpEndpoint.TYPE.equals(r.getType()))
      .onSuccess(records -> endpoints = records.stream()
        .filter(r -> r.getMetadata().getString(MeshVerticle.SERVICE) != null)
        .collect(Collectors.groupingBy(r -> r.getMetadata().getString(MeshVerticle.SERVICE),
          Collectors.mapping(ServiceDirectory::address, Collectors.toList()))))
      .mapEmpty();
  }

  /** One of the service's instances (round robin), or null when none is up. */
  SocketAddress pick(String service) {
    List<SocketAddress> candidates = endpoints.get(service);
    if (candidates == null || candidates.isEmpty()) {
      return null;
    }
    return candidates.get(Math.floorMod(next.getAndIncrement(), candidates.size()));
  }

  private static SocketAddress address(Record record) {
    JsonObject location = record.getLocation();
    return SocketAddress.inetSocketAddress(location.getInteger("port"), location.getString("host"));
  }
}
