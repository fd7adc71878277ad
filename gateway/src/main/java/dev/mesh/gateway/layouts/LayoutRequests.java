package dev.mesh.gateway.layouts;

import dev.mesh.common.Contract;
import dev.mesh.common.HttpErrors;
import dev.mesh.common.JsonBodies;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.json.schema.common.dsl.SchemaType;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.RequestUtils;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatorException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks requests against {@code openapi/layouts.yaml} before a handler sees them, so that the
 * documented API and the accepted one are the same file. The body is parsed here first, so that
 * invalid JSON gets its own clear answer rather than a schema error.
 */
final class LayoutRequests {

  static final String CONTRACT = "openapi/layouts.yaml";
  private static final String BODY = "mesh.layouts.body";

  private final OpenAPIContract contract;
  private final RequestValidator validator;

  private LayoutRequests(Vertx vertx, OpenAPIContract contract) {
    this.contract = contract;
    this.validator = RequestValidator.create(vertx, contract);
  }

  static Future<LayoutRequests> load(Vertx vertx) {
    return OpenAPIContract.from(vertx, CONTRACT)
        .map(contract -> new LayoutRequests(vertx, contract));
  }

  /** The checked JSON body of the request, or null when it had none. */
  static JsonObject body(RoutingContext ctx) {
    return ctx.get(BODY);
  }

  /**
   * Passes the request on when its parameters and body match the operation, answers 400 naming what
   * does not otherwise. {@code what} names the body in messages ("the layout").
   */
  Handler<RoutingContext> check(String operationId, String what) {
    Operation operation = contract.operation(operationId);
    if (operation == null) {
      throw new IllegalStateException("No operation " + operationId + " in " + CONTRACT);
    }
    Set<String> textParameters =
        operation.getParameters().stream()
            .filter(p -> p.getSchemaType() == SchemaType.STRING && p.getIn() != Location.PATH)
            .map(p -> p.getIn() + ":" + p.getName())
            .collect(Collectors.toSet());
    boolean takesBody = operation.getRequestBody() != null;
    boolean needsBody = takesBody && operation.getRequestBody().isRequired();
    return ctx -> {
      Buffer raw = takesBody && ctx.body() != null ? ctx.body().buffer() : null;
      JsonObject body = null;
      if (raw != null && raw.length() > 0) {
        body = JsonBodies.object(ctx, what);
        if (body == null) {
          return;
        }
      } else if (needsBody) {
        HttpErrors.send(ctx, 400, "The request has no body: send " + what + " as a JSON object");
        return;
      }
      String nul = nulCharacter(ctx, body);
      if (nul != null) {
        // PostgreSQL's text and jsonb cannot hold U+0000: refused here, or the save fails in the
        // database
        HttpErrors.send(
            ctx,
            400,
            "Invalid "
                + what.replaceFirst("^(the|an?) ", "")
                + ": "
                + nul
                + " contains the NUL character (\\u0000), which a layout cannot store");
        return;
      }
      JsonObject checked = body;
      // extract throws (rather than fails) on a parameter it cannot URL-decode: composed, it
      // becomes a refusal
      Future.succeededFuture()
          .compose(
              v ->
                  RequestUtils.extract(ctx.request(), operation, () -> Future.succeededFuture(raw)))
          .map(request -> asJson(request, textParameters))
          .compose(request -> validator.validate(request, operationId))
          .onSuccess(
              valid -> {
                ctx.put(BODY, checked);
                ctx.next();
              })
          .onFailure(failure -> refuse(ctx, failure, what));
    };
  }

  /**
   * Where the request carries a NUL character (a JSON pointer into the body, or a parameter), or
   * null.
   */
  static String nulCharacter(RoutingContext ctx, JsonObject body) {
    for (Map.Entry<String, String> parameter : ctx.queryParams()) {
      if (parameter.getValue().indexOf('\u0000') >= 0) {
        return "the query parameter " + parameter.getKey();
      }
    }
    String ifMatch = ctx.request().getHeader("If-Match");
    if (ifMatch != null && ifMatch.indexOf('\u0000') >= 0) {
      return "the If-Match header";
    }
    return body == null ? null : nulCharacter(body, "");
  }

  private static String nulCharacter(Object json, String pointer) {
    if (json instanceof String text) {
      return text.indexOf('\u0000') >= 0 ? (pointer.isEmpty() ? "/" : pointer) : null;
    }
    if (json instanceof JsonObject object) {
      for (Map.Entry<String, Object> field : object) {
        String at = pointer + "/" + field.getKey().replace("~", "~0").replace("/", "~1");
        if (field.getKey().indexOf('\u0000') >= 0) {
          return at.replace("\u0000", "\\u0000");
        }
        String found = nulCharacter(field.getValue(), at);
        if (found != null) {
          return found;
        }
      }
    } else if (json instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        String found = nulCharacter(array.getValue(i), pointer + "/" + i);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  private static void refuse(RoutingContext ctx, Throwable failure, String what) {
    if (failure instanceof SchemaValidationException invalid
        && invalid.getMessage().startsWith("The value of the request body")) {
      JsonArray problems = Contract.problems(invalid.getOutputUnit());
      HttpErrors.send(
          ctx,
          400,
          "Invalid " + what.replaceFirst("^(the|an?) ", "") + ": " + Contract.describe(problems),
          problems);
    } else if (failure instanceof ValidatorException invalid) {
      HttpErrors.send(ctx, 400, parameterMessage(ctx, invalid));
    } else {
      ctx.fail(failure);
    }
  }

  /** Plain words for the two path parameters; the validator's own message for the others. */
  private static String parameterMessage(RoutingContext ctx, ValidatorException invalid) {
    String message = invalid.getMessage();
    if (message.contains("path parameter n ")) {
      return "Revision numbers are positive integers; '"
          + shorten(ctx.pathParam("n"))
          + "' is not one";
    }
    if (message.contains("path parameter id ")) {
      return "'" + shorten(ctx.pathParam("id")) + "' is not a layout id (layout ids are UUIDs)";
    }
    return message;
  }

  private static String shorten(String value) {
    return value == null ? "" : value.length() > 80 ? value.substring(0, 80) + "..." : value;
  }

  /**
   * The body is read as JSON whatever Content-Type came with it (curl's -d says form data), since
   * it was parsed as JSON already.
   */
  private static ValidatableRequest asJson(ValidatableRequest request, Set<String> textParameters) {
    return new JsonRequest(
        request.getCookies(),
        quoted(request.getHeaders(), Location.HEADER, textParameters),
        request.getPathParameters(),
        quoted(request.getQuery(), Location.QUERY, textParameters),
        request.getBody());
  }

  /**
   * Text parameters as JSON strings: vertx-openapi 5.0.7 reads a parameter's text as JSON first and
   * cannot decode some plain strings (a weak ETag such as {@code W/"3"}); quoted, it reads them
   * exactly.
   */
  private static Map<String, RequestParameter> quoted(
      Map<String, RequestParameter> parameters, Location in, Set<String> textParameters) {
    Map<String, RequestParameter> quoted = new HashMap<>(parameters);
    parameters.forEach(
        (name, value) -> {
          if (textParameters.contains(in + ":" + name)
              && value != null
              && value.get() instanceof String text) {
            String json = Json.encode(text);
            quoted.put(name, () -> json);
          }
        });
    return quoted;
  }

  /** Checks an export document read from a file (provisioning) as the import operation would. */
  Future<Void> checkExportDocument(Buffer document) {
    RequestParameter body = () -> document;
    return validator
        .validate(new JsonRequest(Map.of(), Map.of(), Map.of(), Map.of(), body), "importLayout")
        .recover(
            failure ->
                Future.failedFuture(
                    failure instanceof SchemaValidationException invalid
                        ? new IllegalArgumentException(
                            Contract.describe(Contract.problems(invalid.getOutputUnit())))
                        : failure))
        .mapEmpty();
  }

  private record JsonRequest(
      Map<String, RequestParameter> cookies,
      Map<String, RequestParameter> headers,
      Map<String, RequestParameter> path,
      Map<String, RequestParameter> query,
      RequestParameter body)
      implements ValidatableRequest {

    @Override
    public Map<String, RequestParameter> getCookies() {
      return cookies;
    }

    @Override
    public Map<String, RequestParameter> getHeaders() {
      return headers;
    }

    @Override
    public Map<String, RequestParameter> getPathParameters() {
      return path;
    }

    @Override
    public Map<String, RequestParameter> getQuery() {
      return query;
    }

    @Override
    public RequestParameter getBody() {
      return body;
    }

    @Override
    public String getContentType() {
      return "application/json";
    }
  }
}
