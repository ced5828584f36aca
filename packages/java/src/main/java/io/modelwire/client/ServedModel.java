package io.modelwire.client;

/**
 * The model and version that served a prediction.
 *
 * <pre>{@code p.model().version() // "2" }</pre>
 *
 * @param name model name
 * @param version version that served
 */
public record ServedModel(String name, String version) {}
