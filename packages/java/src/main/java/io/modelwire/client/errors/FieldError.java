package io.modelwire.client.errors;

/**
 * One field error of a 422 response.
 *
 * <pre>{@code new FieldError("/amount", "must be number") }</pre>
 *
 * @param field JSON Pointer into {@code data} ({@code ""} for the whole input)
 * @param message what is wrong with it
 */
public record FieldError(String field, String message) {}
