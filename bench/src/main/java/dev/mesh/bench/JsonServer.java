package dev.mesh.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The registry benchmark's reference: a plain Vert.x HTTP server answering fixed JSON bodies from
 * memory, the least any server does to answer the same bytes the registry does.
 * <pre>java -cp ... dev.mesh.bench.JsonServer --port 18589 --route /api/widgets=list.json --route /api/widgets/x=get.json</pre>
 */
public final class JsonServer {

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv);
    Map<String, Buffer> bodies = new HashMap<>();
    for (String route : args.all("route")) {
      int eq = route.indexOf('=');
      bodies.put(route.substring(0, eq), Buffer.buffer(Files.readAllBytes(Path.of(route.substring(eq + 1)))));
    }
    Vertx.vertx().createHttpServer().requestHandler(request -> {
      Buffer body = bodies.get(request.path());
      if (body == null) {
        request.response().setStatusCode(404).end();
      } else {
        request.response().putHeader("Content-Type", "application/json").end(body);
      }
    }).listen(args.integer("port", 18589), "127.0.0.1")
      .onSuccess(s -> System.out.println("JSON server on " + s.actualPort()))
      .onFailure(e -> {
        e.printStackTrace();
        System.exit(1);
      });
  }
}
