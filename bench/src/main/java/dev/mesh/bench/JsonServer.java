package dev.mesh.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A reference of the registry and pixel benchmarks: a plain Vert.x HTTP server answering fixed
 * bodies from memory (JSON unless {@code --content-type} says otherwise), the least a Vert.x server
 * does to answer the same bytes the registry or the collector does.
 *
 * <pre>
 * java -cp ... dev.mesh.bench.JsonServer --port 18589 --route /api/widgets=list.json --route /api/widgets/x=get.json
 * </pre>
 */
public final class JsonServer {

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv);
    Map<String, Buffer> bodies = new HashMap<>();
    for (String route : args.all("route")) {
      int eq = route.indexOf('=');
      bodies.put(
          route.substring(0, eq),
          Buffer.buffer(Files.readAllBytes(Path.of(route.substring(eq + 1)))));
    }
    String contentType = args.string("content-type", "application/json");
    Vertx.vertx()
        .createHttpServer()
        .requestHandler(
            request -> {
              Buffer body = bodies.get(request.path());
              if (body == null) {
                request.response().setStatusCode(404).end();
              } else {
                request.response().putHeader("Content-Type", contentType).end(body);
              }
            })
        .listen(args.integer("port", 18589), "127.0.0.1")
        .onSuccess(s -> System.out.println("fixed-body server on " + s.actualPort()))
        .onFailure(
            e -> {
              e.printStackTrace();
              System.exit(1);
            });
  }
}
