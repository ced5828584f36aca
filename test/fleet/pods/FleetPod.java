// The Java pod of the cross-language fleet suite (test/fleet/README.md): one ModelwireClient in fleet mode on a
// Lettuce connection, driven by JSON lines on stdin, answering JSON lines on stdout. The TypeScript and Python pods
// speak the same protocol. Compiled once by the suite against packages/java's build.
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.codec.StringCodec;
import io.modelwire.client.CallOptions;
import io.modelwire.client.Fleet;
import io.modelwire.client.ModelwireClient;
import io.modelwire.client.ModelwireEvent;
import io.modelwire.client.Prediction;
import io.modelwire.client.RetryOptions;
import io.modelwire.client.errors.ModelwireException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

public final class FleetPod {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<ObjectNode> EVENTS = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    JsonNode config = JSON.readTree(args[0]);
    AutoCloseable redisClient;
    StatefulConnection<String, String> conn;
    if (config.hasNonNull("cluster")) {
      List<RedisURI> uris = new ArrayList<>();
      for (JsonNode url : config.get("cluster")) uris.add(RedisURI.create(url.asText()));
      RedisClusterClient cluster = RedisClusterClient.create(uris);
      redisClient = cluster::shutdown;
      conn = cluster.connect(StringCodec.UTF8);
    } else {
      RedisClient single = RedisClient.create(config.get("redis").asText());
      redisClient = single::shutdown;
      conn = single.connect(StringCodec.UTF8);
    }
    Fleet.Builder fleet = Fleet.builder().redis(conn).prefix(config.get("prefix").asText())
        .instanceId(config.get("instance_id").asText()).quorum(config.path("quorum").asInt(3))
        .opTimeout(Duration.ofMillis(config.path("op_timeout_ms").asLong(50)));
    if (config.hasNonNull("hmac_key")) fleet.hmacKey(config.get("hmac_key").asText());
    ModelwireClient client = ModelwireClient.builder().baseUrl(config.get("base_url").asText())
        .retry(RetryOptions.defaults().withMaxRetries(0)).fleet(fleet.build()).onEvent(FleetPod::record).build();

    System.out.println("{\"ready\":true}");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      JsonNode command = JSON.readTree(line);
      ObjectNode reply = JSON.createObjectNode();
      reply.set("id", command.get("id"));
      String op = command.path("op").asText();
      boolean closed = false;
      if (op.equals("predict")) predict(client, command, reply);
      else if (op.equals("close")) {
        client.close();
        conn.close();
        redisClient.close();
        reply.put("closed", true);
        closed = true;
      } else if (!op.equals("events")) reply.put("ok", false).put("code", "unknown op " + op);
      reply.set("events", drain());
      System.out.println(JSON.writeValueAsString(reply));
      System.out.flush();
      if (closed) break;
    }
    System.exit(0);
  }

  private static void predict(ModelwireClient client, JsonNode command, ObjectNode reply) {
    long started = System.nanoTime();
    try {
      CallOptions options = CallOptions.builder()
          .deadline(Duration.ofMillis(command.path("deadline_ms").asLong(5000))).build();
      Prediction p = client.predict(command.path("model").asText("fraud-score"), JSON.convertValue(
          command.get("input"), Object.class), options);
      reply.put("ok", true).put("cached", p.cached()).put("attempts", p.attempts()).set("result", p.result());
    } catch (ModelwireException e) {
      reply.put("ok", false).put("code", e.code());
    }
    reply.put("ms", (System.nanoTime() - started) / 1e6);
  }

  private static synchronized void record(ModelwireEvent e) {
    ObjectNode seen = JSON.createObjectNode().put("type", e.type().name().toLowerCase(Locale.ROOT));
    if (e.tier() != null) seen.put("tier", e.tier());
    if (e.fleet()) seen.put("fleet", true);
    if (e.reason() != null) seen.put("reason", e.reason());
    EVENTS.add(seen);
  }

  private static synchronized com.fasterxml.jackson.databind.node.ArrayNode drain() {
    com.fasterxml.jackson.databind.node.ArrayNode out = JSON.createArrayNode();
    EVENTS.forEach(out::add);
    EVENTS.clear();
    return out;
  }
}
