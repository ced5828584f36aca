package io.modelwire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelwire.client.errors.ConnectionException;
import io.modelwire.client.internal.ConnectionReason;
import io.modelwire.client.internal.RedactedUrl;
import java.net.ConnectException;
import java.net.URI;
import java.nio.channels.UnresolvedAddressException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A Connection error names where the attempt went and why, never the base URL's credentials (semantics.md, "Errors"). */
class ConnectionErrorMessageTest {
  @Test
  void namesTheRedactedUrlAndTheReasonAndKeepsTheCause() {
    ConnectException refused = new ConnectException(); // java.net.http gives no message for a refusal
    FakeTransport t = new FakeTransport().fail(refused);
    ModelwireClient client = ModelwireClient.builder().baseUrl("http://svc-user:s3cret-pw@127.0.0.1:9/v1").transport(t)
        .scheduler(new VirtualScheduler(true)).cache(CacheOptions.disabled())
        .retry(RetryOptions.defaults().withMaxRetries(0)).build();
    ConnectionException e = assertThrows(ConnectionException.class,
        () -> client.predict("fraud-score", Map.of("amount", 1), CallOptions.builder().build()));
    assertTrue(e.getMessage().contains("http://127.0.0.1:9/v1/models/fraud-score/predict"), e.getMessage());
    assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
    assertFalse(e.getMessage().contains("s3cret-pw") || e.getMessage().contains("svc-user"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
    assertSame(refused, e.getCause());
  }

  @Test
  void redactedUrlDropsUserInfoQueryAndFragment() {
    assertEquals("https://h.example:8443/v1/health",
        RedactedUrl.of(URI.create("https://u:p@h.example:8443/v1/health?token=x#f")));
    assertEquals("http://[::1]:9/v1", RedactedUrl.of(URI.create("http://[::1]:9/v1")));
  }

  @Test
  void reasonPrefersTheOsMessageAndNeverRepeatsCredentials() {
    URI target = URI.create("http://u:pw@h:1/v1");
    assertEquals("Connection reset", ConnectionReason.of(new java.io.IOException("Connection reset"), target));
    assertEquals("name not resolved", ConnectionReason.of(
        new ConnectException().initCause(new UnresolvedAddressException()), target));
    assertEquals("cannot reach http://***@h:1/v1",
        ConnectionReason.of(new java.io.IOException("cannot reach http://u:pw@h:1/v1"), target));
  }
}
