package org.dsa110.contimg.security;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.dsa110.contimg.Beans;
import org.dsa110.contimg.HubSettings;
import org.dsa110.contimg.store.Db;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Access control from configuration (docs/security.md): the API keys ({@code HUB_API_KEYS},
 * {@code HUB_API_KEYS_FILE}, the earlier backend's {@code DSA110_API_KEYS}; with none of them an admin key is
 * generated into {@code $HUB_DATA_DIR/api-key}), the JWT secret, public reads, CORS origins, the audit log and
 * the Jolokia policy. Logs the mode in one line at start, a WARN when checks are off.
 */
@Configuration
public class AuthConfiguration implements CamelConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(AuthConfiguration.class);
    /** The generated admin key's file under the data directory, and its name. */
    public static final String KEY_FILE = "api-key";
    public static final String GENERATED_KEY_NAME = "admin";

    @PropertyInject(value = "hub.auth", defaultValue = "on")
    String mode;
    @PropertyInject(value = "hub.api.keys", defaultValue = "")
    String apiKeys;
    @PropertyInject(value = "hub.api.keys.file", defaultValue = "")
    String apiKeysFile;
    @PropertyInject(value = "hub.auth.header", defaultValue = "X-API-Key")
    String header;
    @PropertyInject(value = "hub.auth.jwt.secret", defaultValue = "")
    String jwtSecret;
    @PropertyInject(value = "hub.auth.public-reads", defaultValue = "true")
    boolean publicReads;
    @PropertyInject(value = "hub.auth.public-paths", defaultValue = "/api/health,/api/metrics/prometheus")
    String publicPaths;
    @PropertyInject(value = "hub.cors.origins", defaultValue = "")
    String corsOrigins;
    @PropertyInject(value = "hub.audit.retention-days", defaultValue = "90")
    int auditRetentionDays;

    private AccessPolicy policy;
    private AuditLog auditLog;

    @BindToRegistry("accessPolicy")
    public synchronized AccessPolicy accessPolicy(CamelContext context) {
        if (policy == null) {
            // the earlier Python backend's variables, honoured so existing deployments keep working
            String legacyKeys = legacy(context, "DSA110_API_KEYS");
            String legacyHeader = legacy(context, "DSA110_API_KEY_HEADER");
            String legacyJwtSecret = legacy(context, "DSA110_JWT_SECRET");
            boolean enabled = enabled(mode, legacy(context, "DSA110_AUTH_DISABLED"));
            ApiKeys.Builder b = ApiKeys.builder().addEntries(apiKeys, "HUB_API_KEYS");
            if (!apiKeysFile.isBlank()) {
                b.addEntries(read(Path.of(apiKeysFile.strip())), "HUB_API_KEYS_FILE " + apiKeysFile.strip());
            }
            b.addLegacyWriteKeys(legacyKeys);
            ApiKeys keys = b.build();
            String generated = null;
            if (keys.isEmpty() && enabled) {
                Path file = Beans.bean(context, "hubSettings", HubSettings.class).dataDir().resolve(KEY_FILE);
                keys = ApiKeys.builder().add(GENERATED_KEY_NAME, generatedKey(file), Role.ADMIN).build();
                generated = file.toString();
            }
            String secret = !jwtSecret.isBlank() ? jwtSecret : legacyJwtSecret;
            JwtVerifier jwt = secret.isBlank() ? null
                    : new JwtVerifier(Beans.bean(context, "vertx", Vertx.class), secret);
            String keyHeader = !legacyHeader.isBlank() && "X-API-Key".equals(header) ? legacyHeader.strip()
                    : header.strip();
            policy = new AccessPolicy(enabled, publicReads, keyHeader, list(publicPaths), origins(corsOrigins),
                    keys, jwt);
            if (enabled) {
                LOG.info(policy.describe(generated));
            } else {
                LOG.warn(policy.describe(null));
            }
        }
        return policy;
    }

    @BindToRegistry("auditLog")
    public synchronized AuditLog auditLog(CamelContext context) {
        if (auditLog == null) {
            auditLog = new AuditLog(Beans.bean(context, "db", Db.class), auditRetentionDays);
        }
        return auditLog;
    }

    @BindToRegistry("jolokiaPolicy")
    public JolokiaPolicy jolokiaPolicy(CamelContext context) {
        return new JolokiaPolicy(accessPolicy(context).corsOrigins());
    }

    @Override
    public void configure(CamelContext context) {
        context.addLifecycleStrategy(new org.apache.camel.support.LifecycleStrategySupport() {
            @Override
            public void onContextStopped(CamelContext ctx) {
                if (auditLog != null) {
                    auditLog.close();
                }
            }
        });
    }

    /** An environment variable of the earlier backend (or a property of that name), empty when unset. */
    private static String legacy(CamelContext context, String name) {
        return context.getPropertiesComponent().resolveProperty(name).orElse("").strip();
    }

    /** {@code on} unless {@code hub.auth} says off (off, false, disabled, 0) or DSA110_AUTH_DISABLED is true. */
    static boolean enabled(String mode, String legacyDisabled) {
        String m = mode == null ? "on" : mode.strip().toLowerCase(Locale.ROOT);
        boolean off = Set.of("off", "false", "disabled", "0", "no").contains(m);
        if (!off && !Set.of("on", "true", "enabled", "1", "yes", "").contains(m)) {
            throw new IllegalArgumentException("hub.auth must be on or off, not '" + mode + "'");
        }
        return !off && !Boolean.parseBoolean(legacyDisabled == null ? "false" : legacyDisabled.strip());
    }

    /**
     * The key in {@code file}, written there first if the file does not exist yet: a fresh random key, file mode
     * 0600 from the moment it is created (POSIX file systems), so only the hub's user can read it.
     */
    static String generatedKey(Path file) {
        try {
            if (!Files.exists(file)) {
                String key = ApiKeys.generate();
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
                } catch (UnsupportedOperationException e) {
                    Files.createFile(file); // not a POSIX file system
                } catch (FileAlreadyExistsException e) {
                    return read(file).strip(); // another hub on the same data directory was first
                }
                Files.writeString(file, key + "\n", StandardCharsets.UTF_8);
                return key;
            }
            String key = read(file).strip();
            if (key.isEmpty()) {
                throw new IllegalStateException(file + " is empty: delete it to have a new admin key generated");
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the admin key file " + file, e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static List<String> list(String commaSeparated) {
        List<String> out = new ArrayList<>();
        for (String s : commaSeparated.split(",")) {
            if (!s.isBlank()) {
                out.add(s.strip());
            }
        }
        return out;
    }

    private static Set<String> origins(String commaSeparated) {
        Set<String> out = new LinkedHashSet<>();
        for (String s : list(commaSeparated)) {
            String o = s.toLowerCase(Locale.ROOT);
            out.add(o.endsWith("/") ? o.substring(0, o.length() - 1) : o);
        }
        return out;
    }
}
