package dev.mesh.gateway;

import dev.mesh.common.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * A page service ({@code mesh.api.test.quote}) for the tests of the SDK's and the bridge's
 * request/reply: the price of a positive {@code quantity} (3 each) and the scope the bridge said
 * the call came from; a 400 failure for anything else.
 */
public final class QuoteService {

  public static final String ADDRESS = Addresses.PAGE_SERVICES_PREFIX + "test.quote";

  private QuoteService() {}

  /** Answers on {@code vertx}'s event bus (a member of the test cluster). */
  public static void register(Vertx vertx) {
    vertx
        .eventBus()
        .<JsonObject>consumer(
            ADDRESS,
            message -> {
              Integer quantity =
                  message.body() == null ? null : message.body().getInteger("quantity");
              if (quantity == null || quantity <= 0) {
                message.fail(400, "quantity must be a positive integer");
                return;
              }
              message.reply(
                  new JsonObject()
                      .put("price", quantity * 3)
                      .put("scope", message.headers().get(Addresses.SCOPE_HEADER)));
            });
  }
}
