package dev.mesh.common;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.UUID;

/**
 * Every error a Mesh API answers is JSON: {@code {"status": 404, "message": "..."}}, with {@code
 * problems} when a body failed its schema. Nothing answers an HTML error page or a stack trace.
 */
public final class HttpErrors {

  private static final System.Logger LOG = System.getLogger(HttpErrors.class.getName());

  private HttpErrors() {}

  public static void send(RoutingContext ctx, int status, String message) {
    send(ctx, status, message, null);
  }

  public static void send(RoutingContext ctx, int status, String message, JsonArray problems) {
    JsonObject body = new JsonObject().put("status", status).put("message", message);
    if (problems != null && !problems.isEmpty()) {
      body.put("problems", problems);
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(body.encode());
  }

  /** Turns the router's own refusals and any unexpected failure into JSON errors. */
  public static void install(Router router, long maxBodyBytes) {
    router.errorHandler(400, ctx -> send(ctx, 400, messageOr(ctx, "Bad request")));
    router.errorHandler(401, ctx -> send(ctx, 401, messageOr(ctx, "Authentication required")));
    router.errorHandler(
        404,
        ctx ->
            send(
                ctx,
                404,
                "No such resource: " + ctx.request().method() + " " + ctx.request().path()));
    router.errorHandler(
        405,
        ctx ->
            send(
                ctx,
                405,
                "Method " + ctx.request().method() + " is not allowed on " + ctx.request().path()));
    router.errorHandler(
        413,
        ctx ->
            send(ctx, 413, "Request body is larger than the limit of " + maxBodyBytes + " bytes"));
    router.errorHandler(415, ctx -> send(ctx, 415, messageOr(ctx, "Unsupported media type")));
    router.errorHandler(
        500,
        ctx -> {
          String incident = UUID.randomUUID().toString();
          LOG.log(
              System.Logger.Level.ERROR,
              "Unexpected failure of "
                  + ctx.request().method()
                  + " "
                  + ctx.request().path()
                  + " (incident "
                  + incident
                  + ")",
              ctx.failure());
          send(ctx, 500, "Internal error, incident " + incident);
        });
  }

  /**
   * A request the HTTP decoder could not read (a request line or headers beyond Netty's limits,
   * broken framing), answered like every other error: JSON naming the problem, then the connection
   * closed, since what follows on it cannot be trusted. Vert.x's own handler answers these without
   * a body.
   */
  public static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    String problem = cause == null || cause.getMessage() == null ? "" : cause.getMessage();
    int status;
    String message;
    if (cause instanceof TooLongHttpLineException) {
      status = 414;
      message = "The request line (method, path and query) is too long: " + problem;
    } else if (cause instanceof TooLongHttpHeaderException) {
      status = 431;
      message = "The request headers are too large: " + problem;
    } else {
      status = 400;
      message = "Not a valid HTTP request" + (problem.isEmpty() ? "" : ": " + problem);
    }
    request
        .response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end(new JsonObject().put("status", status).put("message", message).encode());
  }

  private static String messageOr(RoutingContext ctx, String fallback) {
    Throwable failure = ctx.failure();
    if (failure instanceof HttpException http && http.getPayload() != null) {
      return http.getPayload();
    }
    return failure != null && failure.getMessage() != null ? failure.getMessage() : fallback;
  }
}
