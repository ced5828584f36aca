// One Java pod of the fleet demo: scores a stream of transactions (many repeated) through ModelwireClient, with or
// without fleet mode, and reports what it saw as one JSON line. Started by run.mjs (single-file source launch):
//   java -cp <modelwire-client + lettuce> Worker.java <baseUrl> <redisUrl> <mode> <name> <calls> <distinct> <delayMs>
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.modelwire.client.Fleet;
import io.modelwire.client.ModelwireClient;
import io.modelwire.client.RetryOptions;
import io.modelwire.client.errors.CircuitOpenException;
import io.modelwire.client.errors.ModelwireException;
import java.util.Map;

public final class Worker {
  public static void main(String[] args) throws Exception {
    String baseUrl = args[0], redisUrl = args[1], mode = args[2], name = args[3];
    int calls = Integer.parseInt(args[4]), distinct = Integer.parseInt(args[5]);
    boolean fleet = mode.equals("fleet") || mode.equals("storm-fleet");
    RedisClient redis = fleet ? RedisClient.create(redisUrl) : null;
    StatefulRedisConnection<String, String> conn = fleet ? redis.connect() : null;
    var builder = ModelwireClient.builder().baseUrl(baseUrl).retry(RetryOptions.defaults().withMaxRetries(0));
    if (fleet) builder.fleet(Fleet.builder().redis(conn).quorum(2).instanceId(name).build());
    int cached = 0, upstream = 0, circuitOpen = 0, failed = 0;
    try (ModelwireClient client = builder.build()) {
      Thread.sleep(Long.parseLong(args[6]));
      for (int i = 0; i < calls; i++) {
        // Pods see the same stream in a different order: the same customers show up everywhere.
        int customer = (i * 7 + name.length() * 13) % distinct;
        try {
          var p = client.predict("fraud-score",
              Map.of("amount", 10 + customer, "country", "FR", "card_present", customer % 2 == 0));
          if (p.cached()) cached++;
          else upstream++;
        } catch (CircuitOpenException e) {
          circuitOpen++;
        } catch (ModelwireException e) {
          failed++;
        }
      }
    }
    if (fleet) {
      conn.close();
      redis.shutdown();
    }
    System.out.printf("{\"name\":\"%s\",\"cached\":%d,\"upstream\":%d,\"circuitOpen\":%d,\"failed\":%d}%n",
        name, cached, upstream, circuitOpen, failed);
  }
}
