package org.dsa110.contimg.api;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.util.Set;

/**
 * The address a request is charged to (rate limit) and recorded under (audit log). The TCP peer, unless the peer
 * is one of the configured trusted proxies and {@code X-Forwarded-For} is trusted: then the hops of that header
 * are read from the right, skipping trusted proxies, and the first other address is the client. A client cannot
 * choose its own address by sending the header itself: a peer that is not a trusted proxy is taken as it is.
 */
public final class ClientAddress {
    private final boolean trustForwarded;
    private final Set<String> trustedProxies;

    public ClientAddress(boolean trustForwarded, Set<String> trustedProxies) {
        this.trustForwarded = trustForwarded;
        this.trustedProxies = Set.copyOf(trustedProxies);
    }

    public String of(HttpServerRequest request) {
        SocketAddress remote = request.remoteAddress();
        String peer = remote == null || remote.host() == null ? "unknown" : remote.host();
        return of(peer, request.getHeader("X-Forwarded-For"));
    }

    /** The client behind {@code peer}, given the request's X-Forwarded-For value (may be null). */
    public String of(String peer, String forwardedFor) {
        if (!trustForwarded || forwardedFor == null || forwardedFor.isBlank() || !trustedProxies.contains(peer)) {
            return peer;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (!hop.isEmpty() && !trustedProxies.contains(hop)) {
                return hop.length() > 64 ? hop.substring(0, 64) : hop;
            }
        }
        return peer;
    }
}
