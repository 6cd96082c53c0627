package org.dsa110.contimg.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The configured API keys. Only a SHA-256 digest of each key is kept; a presented key is digested and compared
 * with every entry in constant time ({@link MessageDigest#isEqual}, no early exit), so neither the comparison nor
 * the number of entries compared tells an attacker how close a guess was. Keys are never logged: only names.
 */
public final class ApiKeys {
    /** Keys shorter than this are accepted (old deployments) but reported at start. */
    public static final int RECOMMENDED_LENGTH = 24;

    /** One key: its name (what logs and the audit trail show), the digest of its secret, its role. */
    public record Entry(String name, byte[] digest, Role role) {
    }

    private final List<Entry> entries;
    private final List<String> weak;

    private ApiKeys(List<Entry> entries, List<String> weak) {
        this.entries = List.copyOf(entries);
        this.weak = List.copyOf(weak);
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public int size() {
        return entries.size();
    }

    /** Names of keys shorter than {@link #RECOMMENDED_LENGTH} characters. */
    public List<String> weakKeyNames() {
        return weak;
    }

    public List<String> names() {
        return entries.stream().map(Entry::name).toList();
    }

    /** The caller a presented key belongs to, or empty. Runs in time independent of which entry matches. */
    public Optional<Caller> match(String presented, String via) {
        if (presented == null || presented.isEmpty()) {
            return Optional.empty();
        }
        byte[] digest = sha256(presented);
        Entry found = null;
        for (Entry e : entries) {
            boolean equal = MessageDigest.isEqual(digest, e.digest());
            if (equal && found == null) {
                found = e;
            }
        }
        return found == null ? Optional.empty() : Optional.of(new Caller(found.name(), found.role(), via));
    }

    /** A new random key: 32 bytes from {@link SecureRandom}, URL-safe base64 (43 characters, no padding). */
    public static String generate() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Collects keys from the configured sources; names and keys must be unique. */
    public static final class Builder {
        private final List<Entry> entries = new ArrayList<>();
        private final List<String> weak = new ArrayList<>();
        private final Set<String> names = new LinkedHashSet<>();

        public Builder add(String name, String key, Role role) {
            if (name == null || name.isBlank() || !name.matches("[A-Za-z0-9_.@:-]{1,64}")) {
                throw new IllegalArgumentException("API key name '" + name + "' must be 1-64 characters of"
                        + " letters, digits and _ . @ : -");
            }
            if (key == null || key.isBlank() || key.strip().length() != key.length()) {
                throw new IllegalArgumentException("API key '" + name + "' is empty or has surrounding spaces");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException("API key name '" + name + "' is configured twice");
            }
            byte[] digest = sha256(key);
            for (Entry e : entries) {
                if (MessageDigest.isEqual(e.digest(), digest)) {
                    throw new IllegalArgumentException("API keys '" + e.name() + "' and '" + name
                            + "' have the same secret");
                }
            }
            entries.add(new Entry(name, digest, role));
            if (key.length() < RECOMMENDED_LENGTH) {
                weak.add(name);
            }
            return this;
        }

        /**
         * Adds {@code name:key:role} entries separated by commas or line breaks ({@code #} starts a comment
         * line). The key is everything between the first and the last colon.
         */
        public Builder addEntries(String spec, String source) {
            if (spec == null) {
                return this;
            }
            for (String raw : spec.split("[,\\n]")) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int first = line.indexOf(':');
                int last = line.lastIndexOf(':');
                if (first <= 0 || last <= first + 1 || last == line.length() - 1) {
                    throw new IllegalArgumentException(source + ": an entry is not name:key:role (entry "
                            + (names.size() + 1) + ")");
                }
                add(line.substring(0, first), line.substring(first + 1, last), Role.parse(line.substring(last + 1)));
            }
            return this;
        }

        /** The earlier backend's {@code DSA110_API_KEYS}: bare keys, comma-separated, each a write key. */
        public Builder addLegacyWriteKeys(String commaSeparated) {
            if (commaSeparated == null) {
                return this;
            }
            int n = 0;
            for (String raw : commaSeparated.split(",")) {
                if (!raw.isBlank()) {
                    add("dsa110-key-" + (++n), raw.strip(), Role.WRITE);
                }
            }
            return this;
        }

        public ApiKeys build() {
            return new ApiKeys(entries, weak);
        }
    }
}
