package io.ulm.platform.privacy;

import io.ulm.platform.UlmConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Per-user data keys in {@code keyvault.user_key}, wrapped by the master key (AES-256-GCM, JDK
 * crypto). A key is created inside the caller's transaction the first time a user has personal
 * data; destroying it (erasure) makes every encrypted value of that user unreadable.
 */
@ApplicationScoped
public class KeyVault {

    private static final Logger LOG = Logger.getLogger(KeyVault.class);
    private static final int CACHE_SIZE = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A user's data key and its id (written beside each ciphertext). */
    public record UserKey(String keyId, SecretKey key) {
    }

    /** A cached key and when it was read: other nodes' erasures reach this node within the cache's time to live. */
    private record Cached(UserKey key, long readAt) {
    }

    private final DataSource dataSource;
    private final SecretKey master;
    private final long ttlNanos;
    private final Map<String, Cached> cache = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    KeyVault(DataSource dataSource, UlmConfig config) {
        this.dataSource = dataSource;
        this.master = masterKey(config.privacy().masterKey(), config.embedded().enabled(), config.embedded().masterKeyFile());
        this.ttlNanos = config.privacy().keyCacheTtl().toNanos();
    }

    /**
     * The user's key, created in the current transaction when she has none yet. A key created here is
     * not cached until it is read back committed: a rolled-back transaction must not leave it behind.
     */
    public UserKey keyFor(String userId) {
        UserKey cached = cached(userId);
        if (cached != null) {
            return cached;
        }
        try (Connection c = dataSource.getConnection()) {
            Optional<UserKey> existing = load(c, userId);
            if (existing.isPresent()) {
                return existing.get();
            }
            SecretKey key = newKey();
            String keyId = UUID.randomUUID().toString();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO keyvault.user_key (user_id, key_id, wrapped_key) "
                    + "VALUES (?, ?, ?) ON CONFLICT (user_id) DO NOTHING")) {
                ps.setString(1, userId);
                ps.setString(2, keyId);
                ps.setBytes(3, wrap(key));
                if (ps.executeUpdate() == 1) {
                    return new UserKey(keyId, key);
                }
            }
            return load(c, userId).orElseThrow(() -> new IllegalStateException("The key of user " + userId + " was destroyed"));
        } catch (SQLException e) {
            throw new IllegalStateException("Key vault unavailable", e);
        }
    }

    /** The user's key if she has one that was not destroyed. */
    public Optional<UserKey> existingKey(String userId) {
        UserKey cached = cached(userId);
        if (cached != null) {
            return Optional.of(cached);
        }
        try (Connection c = dataSource.getConnection()) {
            return load(c, userId);
        } catch (SQLException e) {
            throw new IllegalStateException("Key vault unavailable", e);
        }
    }

    private synchronized UserKey cached(String userId) {
        Cached c = cache.get(userId);
        if (c == null) {
            return null;
        }
        if (System.nanoTime() - c.readAt() > ttlNanos) {
            cache.remove(userId);
            return null;
        }
        return c.key();
    }

    /**
     * Destroys the users' keys in the caller's transaction (erasure): the wrapped key is overwritten with NULL and
     * the row kept, marked destroyed, so that no new key is ever created for them (ingestion drops their messages).
     * A user without a key gets a destroyed row too. Returns how many existing keys were destroyed.
     */
    public int destroy(Collection<String> userIds) {
        int destroyed = 0;
        try (Connection c = dataSource.getConnection();
             PreparedStatement update = c.prepareStatement("UPDATE keyvault.user_key SET wrapped_key = NULL, destroyed_at = now() "
                     + "WHERE user_id = ? AND destroyed_at IS NULL");
             PreparedStatement insert = c.prepareStatement("INSERT INTO keyvault.user_key (user_id, key_id, wrapped_key, destroyed_at) "
                     + "VALUES (?, ?, NULL, now()) ON CONFLICT (user_id) DO NOTHING")) {
            for (String userId : userIds) {
                update.setString(1, userId);
                int n = update.executeUpdate();
                destroyed += n;
                if (n == 0) {
                    insert.setString(1, userId);
                    insert.setString(2, "destroyed-" + UUID.randomUUID());
                    insert.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Key vault unavailable", e);
        }
        synchronized (this) {
            userIds.forEach(cache::remove);
        }
        return destroyed;
    }

    /** Those of {@code userIds} whose keys were destroyed (erased users). */
    public Set<String> erased(Collection<String> userIds) {
        Set<String> erased = new HashSet<>();
        if (userIds.isEmpty()) {
            return erased;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT user_id FROM keyvault.user_key WHERE user_id = ANY(?) AND destroyed_at IS NOT NULL")) {
            ps.setArray(1, c.createArrayOf("text", userIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    erased.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Key vault unavailable", e);
        }
        return erased;
    }

    private Optional<UserKey> load(Connection c, String userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT key_id, wrapped_key FROM keyvault.user_key WHERE user_id = ? AND destroyed_at IS NULL")) {
            ps.setString(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                UserKey key = new UserKey(rs.getString(1), unwrap(rs.getBytes(2)));
                synchronized (this) {
                    cache.put(userId, new Cached(key, System.nanoTime()));
                }
                return Optional.of(key);
            }
        }
    }

    private static SecretKey newKey() {
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256, RANDOM);
            return generator.generateKey();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] wrap(SecretKey key) {
        return Aead.encrypt(master, key.getEncoded(), "ulm-user-key".getBytes(StandardCharsets.UTF_8));
    }

    private SecretKey unwrap(byte[] wrapped) {
        return new SecretKeySpec(Aead.decrypt(master, wrapped, "ulm-user-key".getBytes(StandardCharsets.UTF_8)), "AES");
    }

    private static SecretKey masterKey(Optional<String> configured, boolean embedded, Optional<String> keyFile) {
        if (configured.isPresent()) {
            return new SecretKeySpec(Base64.getDecoder().decode(configured.get().trim()), "AES");
        }
        if (!embedded) {
            throw new IllegalStateException("ulm.privacy.master-key (ULM_PRIVACY_MASTER_KEY, base64 of 32 random bytes) "
                    + "must be set when ULM runs on an external database");
        }
        try {
            if (keyFile.isPresent()) {
                Path file = Path.of(keyFile.get());
                if (!Files.exists(file)) {
                    Files.createDirectories(file.toAbsolutePath().getParent());
                    Files.writeString(file, Base64.getEncoder().encodeToString(newKey().getEncoded()));
                    LOG.infof("Created the embedded master key in %s: keep it with the data directory", file);
                }
                return new SecretKeySpec(Base64.getDecoder().decode(Files.readString(file).trim()), "AES");
            }
        } catch (IOException e) {
            throw new IllegalStateException("Could not read or create the master key file", e);
        }
        LOG.warn("No master key configured: using a temporary one (personal data of this run will be unreadable after it)");
        return newKey();
    }

    /** AES-256-GCM with a random 96-bit nonce stored in front of the ciphertext. */
    static final class Aead {
        private static final int NONCE = 12;

        private Aead() {
        }

        static byte[] encrypt(SecretKey key, byte[] plain, byte[] aad) {
            try {
                byte[] nonce = new byte[NONCE];
                RANDOM.nextBytes(nonce);
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
                cipher.updateAAD(aad);
                byte[] sealed = cipher.doFinal(plain);
                byte[] out = new byte[NONCE + sealed.length];
                System.arraycopy(nonce, 0, out, 0, NONCE);
                System.arraycopy(sealed, 0, out, NONCE, sealed.length);
                return out;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Encryption failed", e);
            }
        }

        static byte[] decrypt(SecretKey key, byte[] sealed, byte[] aad) {
            try {
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, sealed, 0, NONCE));
                cipher.updateAAD(aad);
                return cipher.doFinal(sealed, NONCE, sealed.length - NONCE);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Decryption failed", e);
            }
        }
    }
}
