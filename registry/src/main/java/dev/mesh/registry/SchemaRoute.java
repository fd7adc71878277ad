package dev.mesh.registry;

import dev.mesh.common.Contract;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Serves the manifest JSON Schema, so widget authors and their editors validate against the same
 * file.
 */
final class SchemaRoute implements Handler<RoutingContext> {

  private final String schema = Contract.load(Contract.WIDGET_MANIFEST).schema().encodePrettily();

  @Override
  public void handle(RoutingContext ctx) {
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/schema+json").end(schema);
  }
}
