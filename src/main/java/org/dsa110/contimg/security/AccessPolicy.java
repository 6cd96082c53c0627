package org.dsa110.contimg.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Who may call the hub, as configured (docs/security.md): whether checks are on at all, whether reads are
 * public, which paths stay public for scrapers, which browser origins may call cross-site, and how a caller
 * proves who it is ({@link #authenticate}). Knows nothing of HTTP; {@code api.AccessControl} applies it at the
 * edge.
 */
public final class AccessPolicy {
    /** A request's credentials, as found in its headers (or query, for live channels). All may be null. */
    public record Credentials(String apiKey, String authorization, String queryKey, String webSocketProtocol) {
        public boolean none() {
            return blank(apiKey) && blank(authorization) && blank(queryKey) && blank(webSocketProtocol);
        }
    }

    /** Outcome of looking at credentials: a caller, or why the credentials were refused. */
    public record Authentication(Caller caller, String refusal) {
        public boolean refused() {
            return refusal != null;
        }
    }

    /** Prefix of a Sec-WebSocket-Protocol entry carrying a key: {@code api-key.<key>}. */
    public static final String WS_PROTOCOL_PREFIX = "api-key.";

    private final boolean enabled;
    private final boolean publicReads;
    private final String keyHeader;
    private final List<String> publicPaths;
    private final Set<String> corsOrigins;
    private final ApiKeys keys;
    private final JwtVerifier jwt;

    public AccessPolicy(boolean enabled, boolean publicReads, String keyHeader, List<String> publicPaths,
            Set<String> corsOrigins, ApiKeys keys, JwtVerifier jwt) {
        this.enabled = enabled;
        this.publicReads = publicReads;
        this.keyHeader = keyHeader;
        this.publicPaths = List.copyOf(publicPaths);
        this.corsOrigins = Set.copyOf(corsOrigins);
        this.keys = keys;
        this.jwt = jwt;
    }

    public boolean enabled() {
        return enabled;
    }

    public boolean publicReads() {
        return publicReads;
    }

    public String keyHeader() {
        return keyHeader;
    }

    public ApiKeys keys() {
        return keys;
    }

    public boolean jwtEnabled() {
        return jwt != null;
    }

    public Set<String> corsOrigins() {
        return corsOrigins;
    }

    /** Paths readable without a key even when reads are not public (health checks, Prometheus). */
    public boolean isPublicPath(String path) {
        for (String p : publicPaths) {
            if (path.equals(p) || path.startsWith(p.endsWith("/") ? p : p + "/")) {
                return true;
            }
        }
        return false;
    }

    /** True when a browser page served from {@code origin} may call the API (exact match, no wildcards). */
    public boolean isCorsOrigin(String origin) {
        return origin != null && corsOrigins.contains(origin.strip().toLowerCase(Locale.ROOT));
    }

    /**
     * The caller the credentials prove. No credentials: {@link Caller#ANONYMOUS} (whether that is enough is the
     * authorisation's business). Credentials that do not check out are refused, also on public reads, so a
     * client with a mistyped key learns it at once. {@code basicAllowed}: HTTP Basic with a key as password
     * (Jolokia only: browsers replay Basic credentials on their own).
     */
    public Authentication authenticate(Credentials c, boolean basicAllowed) {
        if (!enabled) {
            return new Authentication(Caller.AUTH_OFF, null);
        }
        if (c.none()) {
            return new Authentication(Caller.ANONYMOUS, null);
        }
        if (!blank(c.apiKey())) {
            return byKey(c.apiKey(), "api-key");
        }
        if (!blank(c.authorization())) {
            String auth = c.authorization().strip();
            int space = auth.indexOf(' ');
            String scheme = space < 0 ? auth : auth.substring(0, space);
            String value = space < 0 ? "" : auth.substring(space + 1).strip();
            if (scheme.equalsIgnoreCase("Bearer")) {
                if (jwt == null) {
                    return refused("bearer tokens are not accepted (no JWT secret configured)");
                }
                return jwt.verify(value).map(caller -> new Authentication(caller, null))
                        .orElseGet(() -> refused("invalid or expired bearer token"));
            }
            if (scheme.equalsIgnoreCase("Basic") && basicAllowed) {
                return basicPassword(value).map(p -> byKey(p, "basic"))
                        .orElseGet(() -> refused("malformed Basic credentials"));
            }
            return refused("unsupported Authorization scheme '" + scheme + "'");
        }
        if (!blank(c.queryKey())) {
            return byKey(c.queryKey(), "api-key");
        }
        for (String p : c.webSocketProtocol().split(",")) {
            String entry = p.strip();
            if (entry.startsWith(WS_PROTOCOL_PREFIX)) {
                return byKey(entry.substring(WS_PROTOCOL_PREFIX.length()), "api-key");
            }
        }
        return new Authentication(Caller.ANONYMOUS, null);
    }

    private Authentication byKey(String key, String via) {
        return keys.match(key.strip(), via).map(caller -> new Authentication(caller, null))
                .orElseGet(() -> refused("invalid API key"));
    }

    private static Optional<String> basicPassword(String encoded) {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? Optional.empty() : Optional.of(decoded.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Authentication refused(String why) {
        return new Authentication(Caller.ANONYMOUS, why);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** The mode in a few words, for the start summary line: {@code off}, {@code keys, public reads}, ... */
    public String mode() {
        return !enabled ? "off" : "keys, " + (publicReads ? "public reads" : "reads need a key");
    }

    /** One line for the start-up log (key names only, never a secret). */
    public String describe(String generatedKeyFile) {
        if (!enabled) {
            return "access control OFF (HUB_AUTH=off): every request is allowed; for development only";
        }
        StringBuilder s = new StringBuilder("access control on: ").append(keys.size()).append(" API key")
                .append(keys.size() == 1 ? "" : "s").append(' ').append(keys.names());
        if (generatedKeyFile != null) {
            s.append(" (the generated admin key, in ").append(generatedKeyFile).append(')');
        }
        s.append(", header ").append(keyHeader).append(", JWT ").append(jwt != null ? "accepted" : "off")
                .append(", reads ").append(publicReads ? "public" : "need a read key")
                .append(", CORS origins ").append(corsOrigins.isEmpty() ? "none" : corsOrigins);
        if (!keys.weakKeyNames().isEmpty()) {
            s.append("; keys shorter than ").append(ApiKeys.RECOMMENDED_LENGTH).append(" characters: ")
                    .append(keys.weakKeyNames());
        }
        return s.toString();
    }
}
