package io.modelwire.client.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one Jackson mapper of the SDK: nulls kept (canonical JSON needs them), unknown fields
 * tolerated (the gateway may add fields), java.time supported for the generated models.
 *
 * <pre>{@code JsonNode n = Json.MAPPER.valueToTree(Map.of("amount", 12.5)); }</pre>
 */
public final class Json {
  private Json() {}

  /** Shared, thread-safe mapper. {@code Json.MAPPER.readTree(bytes)} */
  public static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
}
