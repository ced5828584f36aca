package io.modelwire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwire.client.errors.InvalidInputException;
import io.modelwire.client.internal.Json;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The typed feedback input: immutable, checked where it is written, sent as the contract's body. */
class FeedbackTest {
  private static final String RECEIPT = "{\"status\":\"success\",\"code\":\"ACCEPTED\",\"message\":\"ok\","
      + "\"request_id\":\"call-1\",\"trace_id\":\"t\",\"result\":{\"feedback_id\":\"fb-1\",\"accepted\":true,\"extra\":1}}";

  private static ModelwireClient client(FakeTransport t) {
    return ModelwireClient.builder().baseUrl("http://127.0.0.1:4010/v1").transport(t)
        .scheduler(new VirtualScheduler(true)).build();
  }

  private static JsonNode body(FakeTransport t) throws Exception {
    return Json.MAPPER.readTree(t.requests.get(0).body());
  }

  @Test
  void eachSetterReturnsANewFeedbackAndLeavesTheOriginalAlone() {
    Feedback base = Feedback.of("req-1");
    Feedback labelled = base.label("fraud");
    Feedback full = labelled.outcome("chargeback").score(0.25).comment("confirmed");
    assertNotSame(base, labelled);
    assertNull(base.label());
    assertNull(labelled.outcome());
    assertEquals(new Feedback("req-1", "fraud", "chargeback", 0.25, "confirmed"), full);
  }

  @Test
  void aRequestIdThatCannotTravelIsRefusedAsAnOption() {
    for (String bad : new String[] {null, "", "a b", "日本", "x".repeat(129)}) {
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> Feedback.of(bad));
      assertEquals("INVALID_OPTIONS", e.code(), String.valueOf(bad));
      assertTrue(e.getMessage().startsWith("requestId must be"), e.getMessage());
    }
    assertEquals("x".repeat(128), Feedback.of("x".repeat(128)).requestId());
  }

  @Test
  void scoreMustBeFiniteAndCommentAtMost2000Characters() {
    Feedback f = Feedback.of("req-1");
    assertEquals("INVALID_INPUT", assertThrows(InvalidInputException.class, () -> f.score(Double.NaN)).code());
    assertEquals("INVALID_INPUT",
        assertThrows(InvalidInputException.class, () -> f.score(Double.POSITIVE_INFINITY)).code());
    assertEquals("INVALID_INPUT", assertThrows(InvalidInputException.class, () -> f.comment("c".repeat(2001))).code());
    // maxLength counts code points: 2000 emoji (4000 UTF-16 units) fit
    assertEquals(2000, f.comment("😀".repeat(2000)).comment().codePointCount(0, 4000));
  }

  @Test
  void sendsOnlyTheFieldsThatAreSetAndReturnsTheReceipt() throws Exception {
    FakeTransport t = new FakeTransport().then(202, RECEIPT);
    try (ModelwireClient c = client(t)) {
      FeedbackReceipt r = c.feedback("fraud-score", Feedback.of("req-1").outcome("chargeback").score(0.25));
      assertEquals(new FeedbackReceipt("fb-1", true, "call-1"), r);
    }
    assertEquals(Json.MAPPER.readTree("{\"request_id\":\"req-1\",\"outcome\":\"chargeback\",\"score\":0.25}"), body(t));
    assertEquals("POST", t.requests.get(0).method());
    assertEquals("/v1/models/fraud-score/feedback", t.requests.get(0).uri().getPath());
    assertTrue(t.requests.get(0).headers().containsKey("Idempotency-Key"));
  }

  @Test
  @SuppressWarnings("deprecation")
  void theUntypedFormIsCheckedAndSentAsTheTypedOne() throws Exception {
    FakeTransport t = new FakeTransport().then(202, RECEIPT);
    Map<String, Object> map = new HashMap<>();
    map.put("request_id", "req-1");
    map.put("label", "fraud");
    map.put("comment", null); // null counts as absent, as the generated FeedbackRequest serialises it
    try (ModelwireClient c = client(t)) {
      assertEquals("fb-1", c.feedback("fraud-score", map).feedbackId());
      assertEquals(Json.MAPPER.readTree("{\"request_id\":\"req-1\",\"label\":\"fraud\"}"), body(t));

      Map<String, Object> badId = Map.of("request_id", "a b");
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> c.feedback("fraud-score", badId));
      assertEquals("INVALID_OPTIONS", e.code());
      InvalidInputException unknown = assertThrows(InvalidInputException.class,
          () -> c.feedback("fraud-score", Map.of("request_id", "req-1", "lable", "fraud")));
      assertTrue(unknown.getMessage().contains("'lable'"), unknown.getMessage());
      InvalidInputException wrongType = assertThrows(InvalidInputException.class,
          () -> c.feedback("fraud-score", Map.of("request_id", "req-1", "score", "0.5")));
      assertEquals("INVALID_INPUT", wrongType.code());
      CompletionException async = assertThrows(CompletionException.class,
          () -> c.feedbackAsync("fraud-score", (Object) Map.of("label", "fraud")).join());
      assertTrue(async.getCause() instanceof InvalidInputException);
    }
    assertEquals(1, t.count(), "refused feedback is never sent");
  }
}
