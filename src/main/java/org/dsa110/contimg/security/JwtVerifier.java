package org.dsa110.contimg.security;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Bearer tokens as the earlier backend issued them: HS256 JWTs signed with a shared secret
 * ({@code DSA110_JWT_SECRET} / {@code hub.auth.jwt.secret}), verified by Vert.x's JWT provider (signature,
 * algorithm, {@code exp}, {@code nbf}). A token must carry {@code exp}: one that never expires is refused. The
 * role is the highest of the {@code scopes} claim (an array or a space-separated string; {@code scope} is read
 * too): {@code admin}, else {@code write}, else {@code read}. The caller's name is {@code jwt:<sub>}.
 */
public final class JwtVerifier {
    private final JWTAuth auth;

    public JwtVerifier(Vertx vertx, String secret) {
        this.auth = JWTAuth.create(vertx, new JWTAuthOptions()
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret))
                .setJWTOptions(new JWTOptions().setAlgorithm("HS256").setLeeway(5)));
    }

    /** The caller the token stands for, or empty when it is invalid, expired or has no expiry. */
    public Optional<Caller> verify(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        // HMAC verification in Vert.x completes synchronously; a future still pending is treated as a failure
        Future<User> f = auth.authenticate(new TokenCredentials(token.strip()));
        if (!f.isComplete() || f.failed() || f.result() == null) {
            return Optional.empty();
        }
        // the decoded claims (exp included) are the user's "accessToken" attribute; the principal is a subset
        JsonObject claims = f.result().attributes().getJsonObject("accessToken", f.result().principal());
        if (!(claims.getValue("exp") instanceof Number)) {
            return Optional.empty();
        }
        Object sub = claims.getValue("sub");
        String name = "jwt:" + (sub == null ? "unnamed" : sub.toString());
        return Optional.of(new Caller(name.length() > 64 ? name.substring(0, 64) : name, roleOf(claims), "jwt"));
    }

    /** A signed token (tests and operators' tooling; docs/security.md). */
    public String issue(String subject, List<String> scopes, int expiresInSeconds) {
        return auth.generateToken(new JsonObject().put("sub", subject).put("scopes", new JsonArray(scopes)),
                new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds(expiresInSeconds));
    }

    static Role roleOf(JsonObject claims) {
        List<String> scopes = new ArrayList<>();
        for (String claim : List.of("scopes", "scope")) {
            Object v = claims.getValue(claim);
            if (v instanceof JsonArray a) {
                a.forEach(s -> scopes.add(String.valueOf(s)));
            } else if (v instanceof String s) {
                scopes.addAll(List.of(s.trim().split("\\s+")));
            }
        }
        return scopes.contains("admin") ? Role.ADMIN : scopes.contains("write") ? Role.WRITE : Role.READ;
    }
}
