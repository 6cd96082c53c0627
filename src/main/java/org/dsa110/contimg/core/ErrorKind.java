package org.dsa110.contimg.core;

/**
 * What kind of failure a {@link HubException} is, independent of how it reaches a client. The REST layer maps each
 * kind to its HTTP status ({@code api.ApiErrors}); the pipeline and the stores only say what went wrong.
 */
public enum ErrorKind {
    /** The request or input is malformed or names something it may not (a bad parameter, a path outside the roots). */
    BAD_REQUEST,
    /** The caller is not authenticated. */
    UNAUTHENTICATED,
    /** The caller is authenticated but may not do this. */
    FORBIDDEN,
    /** The thing named does not exist. */
    NOT_FOUND,
    /** The request conflicts with the current state (already finished, already exists). */
    CONFLICT,
    /** The request is well-formed but its content is not acceptable. */
    UNPROCESSABLE,
    /** The request body is larger than allowed. */
    TOO_LARGE,
    /** The request body's media type is not accepted. */
    UNSUPPORTED_MEDIA_TYPE,
    /** The caller has exceeded its request budget. */
    TOO_MANY_REQUESTS,
    /** The hub cannot do this now (a dependency is down, the hub is busy). */
    UNAVAILABLE
}
