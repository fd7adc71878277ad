package dev.mesh.gateway;

import dev.mesh.common.MeshVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.servicediscovery.Record;
import io.vertx.servicediscovery.ServiceDiscovery;
import io.vertx.servicediscovery.ServiceDiscoveryOptions;
import io.vertx.servicediscovery.types.HttpEndpoint;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Where each service's HTTP API is right now, and which widget-host serves which widget, from the
 * discovery records the services publish. Kept in memory and refreshed on every discovery
 * announcement (and every few seconds as a safety net), so a proxied request never scans the
 * cluster map. A burst of announcements (say, a hundred heartbeats) causes at most two reads.
 */
final class ServiceDirectory {

  static final String WIDGET_HOST = "widget-host";
  private static final String WIDGET_RECORD_TYPE = "mesh-widget";
  private static final long REFRESH_MS = 5000;

  private record Endpoint(String service, String member, SocketAddress address) {}

  private record Snapshot(
      Map<String, List<SocketAddress>> byService, Map<String, SocketAddress> widgetHosts) {}

  private final ServiceDiscovery discovery;
  private final AtomicInteger next = new AtomicInteger();
  private volatile Snapshot snapshot = new Snapshot(Map.of(), Map.of());
  private Future<Void> reading;
  private boolean readAgain;

  ServiceDirectory(Vertx vertx, ServiceDiscovery discovery) {
    this.discovery = discovery;
    vertx
        .eventBus()
        .consumer(ServiceDiscoveryOptions.DEFAULT_ANNOUNCE_ADDRESS, announcement -> refresh());
    vertx.setPeriodic(REFRESH_MS, id -> refresh());
  }

  /** Reads the records again; while a read is under way, one more is made after it. */
  Future<Void> refresh() {
    if (reading != null) {
      readAgain = true;
      return reading;
    }
    Promise<Void> done = Promise.promise();
    reading = done.future();
    discovery
        .getRecords(r -> true)
        .onComplete(
            records -> {
              if (records.succeeded()) {
                snapshot = snapshot(records.result());
              }
              reading = null;
              done.complete();
              if (readAgain) {
                readAgain = false;
                refresh();
              }
            });
    return done.future();
  }

  private static Snapshot snapshot(List<Record> records) {
    List<Endpoint> endpoints =
        records.stream()
            .filter(
                r ->
                    HttpEndpoint.TYPE.equals(r.getType())
                        && r.getMetadata().getString(MeshVerticle.SERVICE) != null)
            .map(
                r ->
                    new Endpoint(
                        r.getMetadata().getString(MeshVerticle.SERVICE),
                        r.getMetadata().getString(MeshVerticle.MEMBER),
                        address(r)))
            .toList();
    Map<String, SocketAddress> hostByMember = new HashMap<>();
    endpoints.stream()
        .filter(e -> WIDGET_HOST.equals(e.service) && e.member != null)
        .forEach(e -> hostByMember.put(e.member, e.address));
    Map<String, SocketAddress> widgetHosts = new HashMap<>();
    for (Record record : records) {
      String member = record.getMetadata().getString(MeshVerticle.MEMBER);
      if (WIDGET_RECORD_TYPE.equals(record.getType())
          && member != null
          && hostByMember.containsKey(member)) {
        widgetHosts.put(record.getName(), hostByMember.get(member));
      }
    }
    Map<String, List<SocketAddress>> byService =
        endpoints.stream()
            .collect(
                Collectors.groupingBy(
                    Endpoint::service, Collectors.mapping(Endpoint::address, Collectors.toList())));
    return new Snapshot(byService, widgetHosts);
  }

  /** One of the service's instances (round robin), or null when none is up. */
  SocketAddress pick(String service) {
    List<SocketAddress> candidates = snapshot.byService.get(service);
    if (candidates == null || candidates.isEmpty()) {
      return null;
    }
    return candidates.get(Math.floorMod(next.getAndIncrement(), candidates.size()));
  }

  /** The widget-host that registered the widget, or null when no widget-host serves it. */
  SocketAddress widgetHost(String widgetId) {
    return snapshot.widgetHosts.get(widgetId);
  }

  private static SocketAddress address(Record record) {
    JsonObject location = record.getLocation();
    return SocketAddress.inetSocketAddress(location.getInteger("port"), location.getString("host"));
  }
}
