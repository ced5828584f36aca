package io.modelwire.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.modelwire.client.errors.AuthException;
import io.modelwire.client.errors.ModelwireException;
import io.modelwire.client.generated.model.Job;
import io.modelwire.client.internal.Json;
import io.modelwire.client.internal.stages.Errors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs one conformance scenario (see test/conformance/scenario.schema.json) and lists what did not hold. */
final class ScenarioRunner {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z_][a-z0-9_]*)(?:\\.([a-z_]+))?\\}");
  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "conformance-abort");
    t.setDaemon(true);
    return t;
  });
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final MockServer mock;
  private final JsonNode scenario;
  private final Map<String, JsonNode> vars = new HashMap<>();
  /** What the client returned for each save_as (the Prediction or Job itself, for tamper steps). */
  private final Map<String, Object> returned = new java.util.concurrent.ConcurrentHashMap<>();
  private final List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
  private final AtomicReference<String> providerToken = new AtomicReference<>();
  private final EventLog events = new EventLog();
  private long logMark;
  /** Telemetry scenarios: the real OpenTelemetry SDK of this scenario, else null. */
  private final TelemetryScenario telemetry;

  ScenarioRunner(MockServer mock, JsonNode scenario) {
    this.mock = mock;
    this.scenario = scenario;
    this.telemetry = TelemetryScenario.applies(scenario) ? new TelemetryScenario() : null;
    vars.put("origin", TextNode.valueOf(mock.origin));
    vars.put("api", TextNode.valueOf(mock.apiUrl));
  }

  List<String> run() throws Exception {
    try {
      List<String> p = runSteps();
      if (telemetry != null) p.addAll(telemetry.checkMetrics(scenario.get("metrics")));
      return p;
    } finally {
      if (telemetry != null) telemetry.close();
    }
  }

  private List<String> runSteps() throws Exception {
    mock.reset();
    if (scenario.has("server")) mock.scenario(substitute(scenario.get("server")));
    try (ModelwireClient client = buildClient(substitute(scenario.path("client")))) {
      int i = 0;
      for (JsonNode step : scenario.path("steps")) {
        String label = "step " + (++i);
        if (step.has("call")) {
          runCall(client, step, label).join();
        } else if (step.has("concurrent")) {
          List<CompletableFuture<Void>> all = new ArrayList<>();
          int j = 0;
          for (JsonNode c : step.get("concurrent")) all.add(runCall(client, c, label + "." + (++j)));
          CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        } else if (step.has("sleep_ms")) {
          Thread.sleep(step.get("sleep_ms").asLong()); // real time: the scenario waits for real timers
        } else if (step.has("reset_requests")) {
          for (JsonNode r : mock.requests()) logMark = Math.max(logMark, r.path("seq").asLong());
        } else if (step.has("set_token")) {
          providerToken.set(step.get("set_token").asText());
        } else if (step.has("server")) {
          mock.scenario(substitute(step.get("server")));
        } else if (step.has("breaker_state")) {
          JsonNode b = step.get("breaker_state");
          String version = b.path("version").isTextual() ? b.path("version").asText() : null;
          String state = switch (client.breakerState(b.path("model").asText(), version)) {
            case CLOSED -> "closed";
            case OPEN -> "open";
            case HALF_OPEN -> "half-open";
          };
          if (!state.equals(b.path("expect").asText())) {
            problems.add(label + ": breaker of " + b.path("model").asText() + "@" + (version == null ? "unpinned" : version)
                + " expected " + b.path("expect").asText() + ", got " + state);
          }
        } else if (step.has("observe")) {
          observe(step.get("observe"), label);
        } else if (step.has("event_counts")) {
          problems.addAll(events.checkCounts(label + " event_counts", step.get("event_counts")));
        } else if (step.has("tamper")) {
          Tamper.attempt(returned.get(step.get("tamper").asText()));
        }
      }
      if (scenario.has("observe")) observe(scenario.get("observe"), "observe");
    }
    problems.addAll(credentialsInEvents());
    return problems;
  }

  /** A base URL's credentials never appear in an event (docs/semantics.md, "Errors"). */
  private List<String> credentialsInEvents() {
    JsonNode base = scenario.path("client").path("base_url");
    if (!base.isTextual()) return List.of();
    String userInfo = java.net.URI.create(substitute(base).asText()).getRawUserInfo();
    if (userInfo == null) return List.of();
    List<String> p = new ArrayList<>();
    for (String secret : userInfo.split(":")) {
      for (ObjectNode e : events.since(0)) {
        if (!secret.isEmpty() && e.toString().contains(secret)) {
          p.add("an event carries the base URL's credentials: " + e.path("type").asText());
        }
      }
    }
    return p;
  }

  // ------------------------------------------------------------------ client options

  private ModelwireClient buildClient(JsonNode o) {
    ModelwireClientBuilder b = ModelwireClient.builder().baseUrl(mock.apiUrl).onEvent(events::add);
    if (telemetry != null) b.openTelemetry(telemetry.sdk);
    JsonNode auth = o.path("auth");
    if (auth.has("token")) {
      b.auth(Auth.token(auth.get("token").asText()));
    } else if (auth.has("token_provider")) {
      providerToken.set(auth.get("token_provider").asText());
      b.auth(Auth.provider(() -> CompletableFuture.completedFuture(providerToken.get())));
    } else if (auth.has("oidc")) {
      b.auth(oidc(auth.get("oidc")));
    }
    OptionsJson.client(b, o);
    return b.build();
  }

  /** The scenario's {@code auth.oidc} (snake_case, absent = the default) as the SDK's {@code Auth.Oidc}. */
  private static Auth.Oidc oidc(JsonNode oi) {
    Auth.Oidc a = Auth.oidc(oi.path("token_url").asText(), oi.path("client_id").asText(), text(oi, "client_secret"),
        text(oi, "scope"));
    if (text(oi, "auth_method") != null) {
      a = a.withAuthMethod(AuthMethod.valueOf(text(oi, "auth_method").toUpperCase(java.util.Locale.ROOT)));
    }
    if (text(oi, "private_key_pem") != null) {
      a = new Auth.Oidc(a.tokenUrl(), a.clientId(), a.clientSecret(), a.scope(), a.authMethod(),
          text(oi, "private_key_pem"), a.keyId(), a.algorithm(), a.audience());
    }
    if (text(oi, "key_id") != null) a = a.withKeyId(text(oi, "key_id"));
    if (text(oi, "algorithm") != null) a = a.withAlgorithm(SigningAlgorithm.valueOf(text(oi, "algorithm")));
    if (text(oi, "audience") != null) a = a.withAudience(text(oi, "audience"));
    return a;
  }

  private static String text(JsonNode o, String field) {
    return o.path(field).isTextual() ? o.path(field).asText() : null;
  }

  // ------------------------------------------------------------------ calls

  private CompletableFuture<Void> runCall(ModelwireClient client, JsonNode raw, String label) {
    JsonNode s = substitute(raw);
    long started = System.nanoTime();
    int eventMark = events.size();
    CompletableFuture<ObjectNode> outcome;
    AtomicReference<Object> value = new AtomicReference<>();
    // telemetry scenarios: each call runs inside its own active step span, ended after the call settles
    io.opentelemetry.api.trace.Span step = telemetry == null ? null : telemetry.stepSpan(label);
    long wireMark = telemetry != null && s.path("expect").has("wire") ? lastSeq() : -1;
    try (io.opentelemetry.context.Scope scope = step == null ? null : step.makeCurrent()) {
      outcome = invoke(client, s, value);
    } catch (RuntimeException e) {
      outcome = CompletableFuture.failedFuture(e);
    }
    return outcome.handle((ok, err) -> {
      if (step != null) step.end();
      ObjectNode got = err != null ? errorOutcome(Errors.asModelwire(err)) : ok;
      long elapsed = Math.round((System.nanoTime() - started) / 1e6);
      if (s.has("save_as")) {
        vars.put(s.get("save_as").asText(), got);
        if (value.get() != null) returned.put(s.get("save_as").asText(), value.get());
      }
      String where = label + " " + s.path("call").asText() + (s.has("note") ? " (" + s.get("note").asText() + ")" : "");
      problems.addAll(checkExpect(where, s.path("expect"), got, elapsed));
      if (s.path("expect").has("events")) {
        problems.addAll(EventLog.check(where, s.path("expect").get("events"), events.since(eventMark)));
      }
      if (step != null) {
        List<JsonNode> logged = null;
        if (wireMark >= 0) {
          logged = new ArrayList<>();
          for (JsonNode r : mock.requests()) if (r.path("seq").asLong() > wireMark) logged.add(r);
        }
        problems.addAll(telemetry.check(where, s.path("expect"), step, s.path("options").path("traceparent").asText(null),
            logged));
      }
      return null;
    });
  }

  private CompletableFuture<ObjectNode> invoke(ModelwireClient client, JsonNode s, AtomicReference<Object> raw) {
    JsonNode o = s.path("options");
    CallOptions.Builder cb = OptionsJson.call(o, !s.path("call").asText().equals("wait_for_job"));
    if (o.has("abort_after_ms")) {
      AbortSignal signal = new AbortSignal();
      TIMER.schedule(signal::abort, o.get("abort_after_ms").asLong(), TimeUnit.MILLISECONDS);
      cb.signal(signal);
    }
    CallOptions opts = cb.build();
    String model = s.path("model").asText(null);
    String call = s.path("call").asText();
    return switch (call) {
      case "predict" -> client.predictAsync(model, s.get("data"), opts).thenApply(p -> {
        raw.set(p);
        return predictOutcome(p);
      });
      case "submit_job" -> client.submitJobAsync(model, s.get("data"), opts).thenApply(j -> {
        raw.set(j);
        return jobOutcome(j);
      });
      case "get_job" -> client.getJobAsync(model, s.path("job_id").asText()).thenApply(j -> {
        raw.set(j);
        return jobOutcome(j);
      });
      case "cancel_job" -> client.cancelJobAsync(model, s.path("job_id").asText()).thenApply(j -> {
        raw.set(j);
        return jobOutcome(j);
      });
      case "wait_for_job" -> {
        JobWaitOptions w = JobWaitOptions.defaults();
        if (o.has("timeout_ms")) w = w.withTimeout(Duration.ofMillis(o.get("timeout_ms").asLong()));
        w = w.withPoll(o.path("poll_initial_ms").asLong(w.pollInitialMs()), w.pollMultiplier(),
            o.path("poll_max_ms").asLong(w.pollMaxMs()));
        yield client.waitForJobAsync(model, s.path("job_id").asText(), w).thenApply(j -> {
        raw.set(j);
        return jobOutcome(j);
      });
      }
      case "feedback" -> client.feedbackAsync(model, typedFeedback(s.path("feedback"))).thenApply(r -> {
        ObjectNode out = ok();
        out.put("accepted", r.accepted());
        out.put("feedback_id", r.feedbackId());
        return out;
      });
      case "model_info" -> client.modelInfoAsync(model).thenApply(ScenarioRunner::answerOutcome);
      case "list_models" -> client.listModelsAsync().thenApply(x -> ok());
      case "health" -> client.healthAsync().thenApply(ScenarioRunner::answerOutcome);
      case "model_health" -> client.modelHealthAsync(model).thenApply(ScenarioRunner::answerOutcome);
      default -> throw new IllegalArgumentException("unknown call " + call);
    };
  }

  /**
   * The scenario's feedback through the typed input (so the scenario tests {@link Feedback}); a
   * member the schema does not list is a runner error, not silently dropped.
   */
  private static Feedback typedFeedback(JsonNode f) {
    f.fieldNames().forEachRemaining(name -> {
      if (!List.of("request_id", "label", "outcome", "score", "comment").contains(name)) {
        throw new IllegalArgumentException("feedback member " + name + " has no typed equivalent");
      }
    });
    Feedback fb = Feedback.of(f.path("request_id").asText(null));
    if (f.hasNonNull("label")) fb = fb.label(f.get("label").asText());
    if (f.hasNonNull("outcome")) fb = fb.outcome(f.get("outcome").asText());
    if (f.hasNonNull("score")) fb = fb.score(f.get("score").doubleValue());
    if (f.hasNonNull("comment")) fb = fb.comment(f.get("comment").asText());
    return fb;
  }

  /** model_info, health, model_health: the answer as plain JSON in the contract's (snake_case) names. */
  private static ObjectNode answerOutcome(Object answer) {
    ObjectNode o = ok();
    o.set("result", Json.MAPPER.valueToTree(answer));
    return o;
  }

  private static ObjectNode ok() {
    ObjectNode o = F.objectNode();
    o.put("outcome", "ok");
    return o;
  }

  private static ObjectNode predictOutcome(Prediction p) {
    ObjectNode o = ok();
    o.put("attempts", p.attempts());
    o.put("cached", p.cached());
    o.put("stale", p.stale());
    o.set("fallback", p.fallback() == null ? NullNode.getInstance() : Json.MAPPER.valueToTree(p.fallback()));
    o.put("low_confidence", p.lowConfidence());
    o.put("model_name", p.model().name());
    o.put("model_version", p.model().version());
    o.put("request_id", p.requestId());
    o.put("trace_id", p.traceId());
    o.set("result", p.result());
    return o;
  }

  private static ObjectNode jobOutcome(Job j) {
    ObjectNode o = ok();
    o.put("job_id", j.getJobId());
    o.put("job_state", j.getState() == null ? null : j.getState().getValue());
    o.put("request_id", j.getRequestId());
    if (j.getResult() != null) o.set("result", Json.MAPPER.valueToTree(j.getResult()));
    return o;
  }

  private static ObjectNode errorOutcome(ModelwireException e) {
    ObjectNode o = F.objectNode();
    o.put("outcome", "error");
    o.put("error_kind", e.getClass().getSimpleName().replaceFirst("Exception$", ""));
    o.put("error_code", e.code());
    // absent fields are null, as the scenarios write "no such status"
    o.put("http_status", e.httpStatus());
    o.put("idp_status", e instanceof AuthException a ? a.idpStatus() : null);
    o.put("oauth_error", e instanceof AuthException a ? a.oauthError() : null);
    if (e.retryAfterMs() != null) o.put("retry_after_ms", e.retryAfterMs());
    o.put("attempts", e.attempts());
    o.set("field_errors", Json.MAPPER.valueToTree(e.errors()));
    o.put("message", e.getMessage());
    return o;
  }

  // ------------------------------------------------------------------ expectations

  private static final List<String> SCALARS = List.of("error_kind", "error_code", "http_status", "idp_status", "oauth_error",
      "retry_after_ms",
      "attempts", "cached", "stale", "low_confidence", "model_name", "model_version", "request_id", "job_state", "accepted",
      "feedback_id");

  private static List<String> checkExpect(String where, JsonNode e, ObjectNode got, long elapsedMs) {
    List<String> p = new ArrayList<>();
    if (!got.path("outcome").asText().equals(e.path("outcome").asText())) {
      String detail = got.path("outcome").asText().equals("error")
          ? " (" + got.path("error_kind").asText() + " " + got.path("error_code").asText() + ": " + got.path("message").asText() + ")" : "";
      p.add(where + ": expected outcome " + e.path("outcome").asText() + ", got " + got.path("outcome").asText() + detail);
      return p;
    }
    for (String key : SCALARS) {
      if (e.has(key) && !same(e.get(key), got.get(key))) p.add(where + ": " + key + " expected " + e.get(key) + ", got " + got.get(key));
    }
    if (e.has("error_message_contains")) {
      String message = got.path("message").asText("");
      String wanted = e.get("error_message_contains").asText();
      if (!message.toLowerCase(java.util.Locale.ROOT).contains(wanted.toLowerCase(java.util.Locale.ROOT))) {
        p.add(where + ": error message lacks \"" + wanted + "\": " + message);
      }
    }
    if (e.has("error_message_excludes")) {
      String message = got.path("message").asText("");
      String unwanted = e.get("error_message_excludes").asText();
      if (message.toLowerCase(java.util.Locale.ROOT).contains(unwanted.toLowerCase(java.util.Locale.ROOT))) {
        p.add(where + ": error message contains \"" + unwanted + "\": " + message);
      }
    }
    if (e.has("fallback")) {
      JsonNode actual = got.has("fallback") ? got.get("fallback") : NullNode.getInstance();
      if (!same(e.get("fallback"), actual)) p.add(where + ": fallback expected " + e.get("fallback") + ", got " + actual);
    }
    if (e.has("field_errors")) {
      JsonNode actual = got.path("field_errors");
      for (JsonNode fe : e.get("field_errors")) {
        boolean found = false;
        for (JsonNode a : actual) found |= subset(fe, a);
        if (!found) p.add(where + ": field error " + fe + " not in " + actual);
      }
    }
    if (e.has("result") && !subset(e.get("result"), got.get("result"))) {
      p.add(where + ": result " + got.get("result") + " lacks " + e.get("result"));
    }
    for (JsonNode key : e.path("result_has")) {
      JsonNode r = got.get("result");
      if (r == null || !r.has(key.asText()) || r.get(key.asText()).isMissingNode()) p.add(where + ": result lacks \"" + key.asText() + "\": " + r);
    }
    if (e.has("job_state_in")) {
      boolean in = false;
      for (JsonNode s : e.get("job_state_in")) in |= s.asText().equals(got.path("job_state").asText());
      if (!in) p.add(where + ": job_state " + got.get("job_state") + " not in " + e.get("job_state_in"));
    }
    if (e.has("elapsed_ms_min") && elapsedMs < e.get("elapsed_ms_min").asDouble()) {
      p.add(where + ": took " + elapsedMs + " ms, expected ≥ " + e.get("elapsed_ms_min"));
    }
    if (e.has("elapsed_ms_max") && elapsedMs > e.get("elapsed_ms_max").asDouble()) {
      p.add(where + ": took " + elapsedMs + " ms, expected ≤ " + e.get("elapsed_ms_max"));
    }
    return p;
  }

  /** Deep equality where numbers compare by value (1 equals 1.0), as JavaScript's would. */
  static boolean same(JsonNode a, JsonNode b) {
    if (a == null || a.isMissingNode()) return b == null || b.isMissingNode();
    if (b == null || b.isMissingNode()) return false;
    if (a.isNumber() && b.isNumber()) return a.doubleValue() == b.doubleValue();
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) return false;
      for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> en = it.next();
        if (!same(en.getValue(), b.get(en.getKey()))) return false;
      }
      return true;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) return false;
      for (int i = 0; i < a.size(); i++) if (!same(a.get(i), b.get(i))) return false;
      return true;
    }
    return a.equals(b);
  }

  /** {@code expected} is a deep subset of {@code actual} (objects: listed keys only). */
  static boolean subset(JsonNode expected, JsonNode actual) {
    if (expected.isObject()) {
      if (actual == null || !actual.isObject()) return false;
      for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> en = it.next();
        if (!subset(en.getValue(), actual.get(en.getKey()))) return false;
      }
      return true;
    }
    return same(expected, actual);
  }

  // ------------------------------------------------------------------ observations

  private long lastSeq() {
    long max = 0;
    for (JsonNode r : mock.requests()) max = Math.max(max, r.path("seq").asLong());
    return max;
  }

  private void observe(JsonNode observations, String label) {
    List<JsonNode> log = new ArrayList<>();
    for (JsonNode r : mock.requests()) if (r.path("seq").asLong() > logMark) log.add(r);
    for (JsonNode o : observations) {
      for (String msg : Observations.check(substitute(o), log)) problems.add(label + ": " + msg);
    }
  }

  // ------------------------------------------------------------------ placeholders

  private JsonNode substitute(JsonNode v) {
    if (v.isTextual()) {
      Matcher m = PLACEHOLDER.matcher(v.asText());
      StringBuilder sb = new StringBuilder();
      while (m.find()) {
        JsonNode base = vars.get(m.group(1));
        JsonNode got = m.group(2) == null ? base : base == null ? null : base.get(m.group(2));
        if (got == null || got.isNull()) throw new IllegalStateException("unknown placeholder " + m.group());
        m.appendReplacement(sb, Matcher.quoteReplacement(got.asText()));
      }
      m.appendTail(sb);
      return TextNode.valueOf(sb.toString());
    }
    if (v.isArray()) {
      ArrayNode a = F.arrayNode();
      v.forEach(x -> a.add(substitute(x)));
      return a;
    }
    if (v.isObject()) {
      ObjectNode o = F.objectNode();
      v.fields().forEachRemaining(e -> o.set(e.getKey(), substitute(e.getValue())));
      return o;
    }
    return v;
  }
}
