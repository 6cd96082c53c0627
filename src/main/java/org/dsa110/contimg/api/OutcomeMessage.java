package org.dsa110.contimg.api;

/** A body that only says what was done (e.g. after a delete): {@code {"message": "..."}}. */
public record OutcomeMessage(String message) {
}
