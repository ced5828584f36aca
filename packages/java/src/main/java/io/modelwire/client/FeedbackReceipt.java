package io.modelwire.client;

/**
 * The gateway's receipt for feedback.
 *
 * <pre>{@code client.feedback("fraud-score", Feedback.of(id).label("fraud")).accepted() }</pre>
 *
 * @param feedbackId id of the stored feedback
 * @param accepted whether it was accepted
 * @param requestId the call's request id
 */
public record FeedbackReceipt(String feedbackId, boolean accepted, String requestId) {}
