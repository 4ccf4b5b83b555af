package io.ulm.platform.security;

import io.ulm.platform.UlmConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The API keys and their roles, from {@code ulm.security.keys.<name>=<secret>:<role>,<role>}
 * (env: {@code ULM_SECURITY_KEYS_<NAME>}). Roles: {@code ingest} (the Segment write key),
 * {@code read} and {@code admin}. Without configured keys the embedded default uses documented
 * development keys; a service on an external database refuses to start without keys.
 */
@ApplicationScoped
public class ApiKeys {

    public static final Set<String> ROLES = Set.of("ingest", "read", "admin");
    static final Map<String, String> DEVELOPMENT = new LinkedHashMap<>(Map.of(
            "write", "dev-write-key:ingest",
            "read", "dev-read-key:read",
            "admin", "dev-admin-key:admin,read,ingest"));

    /** A configured key. */
    public record Key(String name, String secret, Set<String> roles) {
    }

    private final List<Key> keys;
    private final boolean development;

    ApiKeys(UlmConfig config) {
        Map<String, String> configured = config.security().keys();
        if (configured.isEmpty() && !config.embedded().enabled()) {
            throw new IllegalStateException("No API keys configured: set ulm.security.keys.<name>=<secret>:<roles> "
                    + "(e.g. ULM_SECURITY_KEYS_WRITE=...:ingest)");
        }
        this.development = configured.isEmpty();
        this.keys = (development ? DEVELOPMENT : configured).entrySet().stream().map(ApiKeys::parse).toList();
    }

    public Optional<Key> find(String secret) {
        byte[] presented = secret.getBytes(StandardCharsets.UTF_8);
        Key found = null;
        for (Key key : keys) {
            // compare against every key in constant time, so timing tells nothing about near misses
            if (MessageDigest.isEqual(presented, key.secret().getBytes(StandardCharsets.UTF_8))) {
                found = key;
            }
        }
        return Optional.ofNullable(found);
    }

    public List<Key> keys() {
        return keys;
    }

    public boolean development() {
        return development;
    }

    private static Key parse(Map.Entry<String, String> entry) {
        String value = entry.getValue();
        int colon = value.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalStateException("ulm.security.keys." + entry.getKey() + " must be <secret>:<role>[,<role>]");
        }
        Set<String> roles = Arrays.stream(value.substring(colon + 1).split(",")).map(String::trim)
                .filter(r -> !r.isEmpty()).collect(Collectors.toUnmodifiableSet());
        if (roles.isEmpty() || !ROLES.containsAll(roles)) {
            throw new IllegalStateException("ulm.security.keys." + entry.getKey() + ": roles must be among " + ROLES + ", were " + roles);
        }
        return new Key(entry.getKey(), value.substring(0, colon), roles);
    }
}
