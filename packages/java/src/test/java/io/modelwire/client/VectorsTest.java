package io.modelwire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwire.client.errors.InvalidInputException;
import io.modelwire.client.internal.CacheKey;
import io.modelwire.client.internal.CanonicalJson;
import io.modelwire.client.internal.Hashing;
import io.modelwire.client.internal.Json;
import io.modelwire.client.internal.RetryAfter;
import io.modelwire.client.internal.TokenSource;
import io.modelwire.client.errors.ModelwireException;
import io.modelwire.client.internal.stages.Answer;
import io.modelwire.client.internal.stages.Failures;
import java.util.HashSet;
import java.util.Set;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The shared vectors of test/vectors/, byte for byte. */
class VectorsTest {
  private static final Path DIR = TestFiles.repoRoot().resolve("test/vectors");

  private static Stream<JsonNode> cases(String file, String field) {
    JsonNode root = TestFiles.readJson(DIR.resolve(file));
    List<JsonNode> out = new ArrayList<>();
    root.path(field).forEach(out::add);
    assertFalse(out.isEmpty(), file + " has no " + field);
    return out.stream();
  }

  @TestFactory
  Stream<DynamicTest> canonicalJson() {
    return cases("canonical-json.json", "cases").map(c -> dynamicTest(c.path("name").asText(), () -> {
      JsonNode value = Json.MAPPER.readTree(c.path("input_json").asText());
      String canonical = CanonicalJson.write(value);
      assertEquals(c.path("canonical").asText(), canonical);
      assertEquals(c.path("sha256").asText(), Hashing.sha256Hex(canonical));
    }));
  }

  @TestFactory
  Stream<DynamicTest> canonicalJsonRejected() {
    return cases("canonical-json.json", "rejected").map(c -> dynamicTest(c.path("name").asText(), () -> {
      JsonNode value = Json.MAPPER.readTree(c.path("input_json").asText());
      double special = switch (c.path("special").asText()) {
        case "NaN" -> Double.NaN;
        case "Infinity" -> Double.POSITIVE_INFINITY;
        default -> Double.NEGATIVE_INFINITY;
      };
      JsonNode path = c.path("path");
      if (path.isEmpty()) {
        value = DoubleNode.valueOf(special);
      } else {
        JsonNode parent = value;
        for (int i = 0; i < path.size() - 1; i++) {
          parent = path.get(i).isInt() ? parent.get(path.get(i).intValue()) : parent.get(path.get(i).asText());
        }
        JsonNode last = path.get(path.size() - 1);
        if (parent instanceof ArrayNode a) a.set(last.intValue(), DoubleNode.valueOf(special));
        else ((ObjectNode) parent).set(last.asText(), DoubleNode.valueOf(special));
      }
      JsonNode v = value;
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> CanonicalJson.write(v));
      assertEquals(c.path("error_code").asText(), e.code());
      assertEquals(c.path("error_kind").asText() + "Exception", e.getClass().getSimpleName());
    }));
  }

  @TestFactory
  Stream<DynamicTest> cacheKeys() {
    return cases("cache-keys.json", "cases").map(c -> dynamicTest(c.path("name").asText(), () -> {
      String version = c.path("version").isNull() ? null : c.path("version").asText();
      JsonNode fromText = Json.MAPPER.readTree(c.path("data_json").asText());
      assertEquals(c.path("canonical").asText(),
          CacheKey.canonical(c.path("model").asText(), version, c.path("scope").asText(), fromText));
      assertEquals(c.path("key").asText(), CacheKey.of(c.path("model").asText(), version, c.path("scope").asText(), fromText));
      // the same data as plain Java values (Integer/Long/BigInteger/Double) must give the same key
      Object plain = Json.MAPPER.convertValue(c.path("data"), Object.class);
      assertEquals(c.path("key").asText(),
          CacheKey.of(c.path("model").asText(), version, c.path("scope").asText(), Json.MAPPER.valueToTree(plain)));
    }));
  }

  @TestFactory
  Stream<DynamicTest> scopes() {
    return cases("cache-keys.json", "scopes").map(c -> dynamicTest(c.path("name").asText(), () -> {
      JsonNode a = c.path("auth");
      Auth auth;
      String token = null;
      if (a.isNull() || a.isMissingNode()) {
        auth = Auth.none();
      } else if (a.has("token")) {
        auth = Auth.token(a.path("token").asText());
        token = a.path("token").asText();
      } else if (a.has("token_provider_returns")) {
        token = a.path("token_provider_returns").asText();
        String t = token;
        auth = Auth.provider(() -> CompletableFuture.completedFuture(t));
      } else {
        JsonNode o = a.path("oidc");
        auth = Auth.oidc(o.path("token_url").asText(), o.path("client_id").asText(), o.path("client_secret").asText(),
            o.path("scope").isTextual() ? o.path("scope").asText() : null);
      }
      String expected = c.path("scope").asText();
      if (c.has("cache_scope")) {
        // the explicit option wins, verbatim: the client builder stores it as CacheOptions.scope
        ModelwireClientBuilder b = ModelwireClient.builder().baseUrl("http://127.0.0.1:1/v1").auth(auth)
            .cacheScope(c.path("cache_scope").asText());
        assertNotNull(b.build());
        assertEquals(expected, CacheOptions.defaults().withScope(c.path("cache_scope").asText()).scope());
        return;
      }
      TokenSource ts = TokenSource.of(auth, req -> CompletableFuture.failedFuture(new AssertionError("no I/O")),
          Scheduler.system(), io.modelwire.client.internal.auth.TokenRequestPolicy.defaults());
      assertEquals(expected, ts.scope(token));
    }));
  }

  @TestFactory
  Stream<DynamicTest> retryAfter() {
    return cases("retry-after.json", "cases").map(c -> dynamicTest(c.path("name").asText(), () -> {
      String header = c.path("header").isNull() ? null : c.path("header").asText();
      Long ms = RetryAfter.parseMs(header, c.path("now_ms").asLong());
      JsonNode exp = c.path("expected");
      if (exp.path("ignored").asBoolean(false)) {
        assertEquals(null, ms, "should be ignored");
        return;
      }
      assertEquals(exp.path("delay_ms").asLong(), ms);
      boolean giveUp = ms > c.path("cap_ms").asLong();
      assertEquals(exp.path("give_up").asBoolean(false), giveUp);
    }));
  }

  @TestFactory
  Stream<DynamicTest> webhooks() {
    return cases("webhooks.json", "cases").map(c -> dynamicTest(c.path("name").asText(), () -> {
      byte[] body = c.path("raw_body").asText().getBytes(StandardCharsets.UTF_8);
      String header = c.path("header").isNull() ? null : c.path("header").asText();
      Instant now = Instant.ofEpochSecond(c.path("now").asLong());
      long tol = c.path("tolerance_seconds").asLong();
      String secret = c.path("secret").asText();
      if (c.path("valid").asBoolean()) {
        JsonNode parsed = Webhooks.verify(body, header, secret, now, tol);
        assertEquals(Json.MAPPER.readTree(body), parsed);
      } else {
        WebhookVerificationException e = assertThrows(WebhookVerificationException.class,
            () -> Webhooks.verify(body, header, secret, now, tol));
        assertEquals(c.path("reason").asText(), e.reason());
      }
    }));
  }

  @TestFactory
  Stream<DynamicTest> webhooksViaHeaderMap() {
    return cases("webhooks.json", "cases").filter(c -> c.path("valid").asBoolean()).limit(1)
        .map(c -> dynamicTest("header map lookup is case-insensitive", () -> {
          byte[] body = c.path("raw_body").asText().getBytes(StandardCharsets.UTF_8);
          String sig = Webhooks.sign(body, c.path("secret").asText(), Instant.now().getEpochSecond());
          assertTrue(Webhooks.verify(body, Map.of("x-modelwire-signature", sig), c.path("secret").asText()).isObject());
        }));
  }

  /** The failure table, through the SDK's classification and its failure predicates. */
  @TestFactory
  Stream<DynamicTest> failures() {
    JsonNode root = TestFiles.readJson(TestFiles.repoRoot().resolve("test/vectors/failures.json"));
    Set<Integer> retryOn = new HashSet<>();
    root.path("retry_on_status").forEach(n -> retryOn.add(n.asInt()));
    // the depth cases are written for this limit: it must be the contract's default
    assertEquals(root.path("max_json_depth").asInt(), DefaultPolicy.get().maxJsonDepth());
    List<JsonNode> cases = new ArrayList<>();
    root.path("cases").forEach(cases::add);
    assertFalse(cases.isEmpty());
    return cases.stream().map(c -> dynamicTest(c.path("name").asText(), () -> {
      Object outcome = c.has("response") ? FailureOutcomes.respond(c.get("response")) : FailureOutcomes.local(c.path("local").asText());
      JsonNode exp = c.path("expected");
      if (outcome instanceof Answer) {
        assertTrue(exp.path("kind").isNull(), "a success where " + exp.path("kind") + " was expected");
        assertEquals("success", exp.path("breaker").asText());
        assertFalse(exp.path("retryable").asBoolean());
        assertTrue(exp.path("fallback").isNull());
        return;
      }
      ModelwireException e = (ModelwireException) outcome;
      assertEquals(exp.path("kind").asText() + "Exception", e.getClass().getSimpleName(), e.getMessage());
      assertEquals(exp.path("code").asText(), e.code());
      assertEquals(exp.path("retryable").asBoolean(), Failures.isRetryable(e, retryOn), "retryable");
      assertEquals(exp.path("breaker").asText(), Failures.isBreakerFailure(e) ? "failure" : "ignored", "breaker");
      assertEquals(exp.path("fallback").isNull() ? null : exp.path("fallback").asText(), Failures.fallbackReason(e));
      if (exp.has("retry_after_ms")) assertEquals(exp.path("retry_after_ms").asLong(), e.retryAfterMs());
      if (exp.has("field_errors")) {
        assertEquals(exp.path("field_errors"), Json.MAPPER.valueToTree(e.errors()));
      }
    }));
  }
}
