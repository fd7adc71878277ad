package dev.mesh.tracker;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;

/**
 * A hit on its way to Kafka: its site (the record's key) and its JSON (the record's value, as
 * {@code contracts/tracker-hit.schema.json} describes it), written once, field by field, by the
 * collector that accepted it. Its bytes are never changed once written.
 *
 * <p>It crosses the local event bus as it is ({@link #useOn}). A hit built as a {@code JsonObject}
 * was deep-copied there, and encoded by the generic map walk on the publisher's worker: the
 * encoding alone took a fifth of the publisher's CPU (docs/benchmarks.md, item 2).
 */
public record Hit(String site, byte[] json) {

  /** The record format's version ({@code v}). */
  static final int VERSION = 1;

  private static final JsonFactory JSON = new JsonFactory();

  /**
   * A page view's JSON is about 230 bytes, a custom event's with its properties rarely more than 1
   * KiB.
   */
  private static final int FIRST_BLOCK = 512;

  private static final MessageCodec<Hit, Hit> LOCAL_CODEC = new LocalCodec();

  /**
   * Writes a hit with the schema's fields in its order; {@code props} (a custom event's, strings
   * only) is left out when null or empty.
   */
  public static Hit write(
      String id,
      long ts,
      String site,
      String name,
      String page,
      String referrer,
      String visitor,
      String screen,
      String source,
      JsonObject props) {
    ByteArrayBuilder bytes = new ByteArrayBuilder(FIRST_BLOCK);
    try (JsonGenerator json = JSON.createGenerator(bytes)) {
      json.writeStartObject();
      json.writeNumberField("v", VERSION);
      json.writeStringField("id", id);
      json.writeNumberField("ts", ts);
      json.writeStringField("site", site);
      json.writeStringField("name", name);
      json.writeStringField("page", page);
      json.writeStringField("referrer", referrer);
      json.writeStringField("visitor", visitor);
      json.writeStringField("screen", screen);
      json.writeStringField("source", source);
      if (props != null && !props.isEmpty()) {
        json.writeFieldName("props");
        JacksonCodec.encodeJson(props, json);
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new EncodeException("Cannot write the hit: " + e.getMessage());
    }
    return new Hit(site, bytes.toByteArray());
  }

  /** The hit as a JSON object (for tests and tools; the pipeline hands the bytes on). */
  public JsonObject toJsonObject() {
    return new JsonObject(Buffer.buffer(json));
  }

  /**
   * Lets hits travel this event bus (local delivery only; idempotent, for every verticle that sends
   * or receives them).
   */
  public static void useOn(EventBus bus) {
    synchronized (LOCAL_CODEC) {
      try {
        bus.registerDefaultCodec(Hit.class, LOCAL_CODEC);
      } catch (IllegalStateException alreadyRegistered) {
        // another verticle of this process registered it first
      }
    }
  }

  /** Hands the immutable hit over within the process; hits never leave it on the bus. */
  private static final class LocalCodec implements MessageCodec<Hit, Hit> {

    @Override
    public void encodeToWire(Buffer buffer, Hit hit) {
      throw new UnsupportedOperationException("hits are handed over within the process only");
    }

    @Override
    public Hit decodeFromWire(int pos, Buffer buffer) {
      throw new UnsupportedOperationException("hits are handed over within the process only");
    }

    @Override
    public Hit transform(Hit hit) {
      return hit;
    }

    @Override
    public String name() {
      return "mesh.tracker.hit";
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
