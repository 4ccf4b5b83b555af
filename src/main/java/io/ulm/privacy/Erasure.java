package io.ulm.privacy;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.ulm.lifecycle.LifecycleCommands;
import io.ulm.lifecycle.api.EraseUser;
import io.ulm.platform.Json;
import io.ulm.platform.Retry;
import io.ulm.platform.privacy.KeyVault;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Erasure of a user (docs/privacy.md), in one transaction: {@code UserErased} on her stream (and on the anonymous
 * streams linked to her), her data keys destroyed, her rows removed from every store of {@link PersonalStores}
 * (re-keyed to a pseudonym where only counts matter), her running win-back episode ended, and the receipt stored.
 * The projections do the same removal again when they read {@code UserErased}, so rows a lagging projection writes
 * after this transaction disappear too, and a replay rebuilds exactly what the erasure left.
 */
@ApplicationScoped
public class Erasure {

    private static final Logger LOG = Logger.getLogger(Erasure.class);
    private static final int ATTEMPTS = 3;
    /** Outcome of a win-back episode that was running when she was erased (neither won back nor lost). */
    static final String ERASED_OUTCOME = "ERASED";
    private static final String SEP = "\t";

    /** One store touched: the table (and column), what was done, how many rows. */
    public record StoreCount(String store, String action, long rows) {
    }

    /** What the erasure did. {@code alreadyErased}: an earlier request did it; this is its receipt. */
    public record Receipt(String userId, Instant erasedAt, String requestedBy, List<String> subjects, boolean alreadyErased,
                          List<StoreCount> stores, List<String> notes) {
    }

    private final DataSource dataSource;
    private final LifecycleCommands lifecycle;
    private final KeyVault keys;

    Erasure(DataSource dataSource, LifecycleCommands lifecycle, KeyVault keys) {
        this.dataSource = dataSource;
        this.lifecycle = lifecycle;
        this.keys = keys;
    }

    /** Erases {@code userId}; empty when no such user has any event. Call on a worker thread (commands, JDBC). */
    public Optional<Receipt> erase(String userId, String requestedBy) {
        Optional<Receipt> earlier = stored(userId);
        if (earlier.isPresent()) {
            Receipt r = earlier.get();
            return Optional.of(new Receipt(r.userId(), r.erasedAt(), r.requestedBy(), r.subjects(), true, r.stores(), r.notes()));
        }
        List<String> subjects = subjects(userId);
        if (subjects.isEmpty()) {
            return Optional.empty();
        }
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Receipt receipt = Retry.times(ATTEMPTS, () -> QuarkusTransaction.requiringNew().call(() -> eraseIn(userId, subjects, at, requestedBy)));
        LOG.infof("Erased user %s (%d streams) for %s", userId, subjects.size(), requestedBy);
        return Optional.of(receipt);
    }

    private Receipt eraseIn(String userId, List<String> subjects, Instant at, String requestedBy) throws SQLException {
        Map<String, String> pseudonyms = new LinkedHashMap<>();
        Map<String, Object> commands = new LinkedHashMap<>();
        for (String subject : subjects) {
            String pseudonym = "erased:" + UUID.randomUUID();
            pseudonyms.put(subject, pseudonym);
            commands.put(subject, new EraseUser(subject, pseudonym, at, requestedBy));
        }
        lifecycle.send(commands);
        Map<String, long[]> counts = new LinkedHashMap<>();
        count(counts, "domain_event_entry", "UserErased appended", subjects.size());
        count(counts, "keyvault.user_key", "keys destroyed", keys.destroy(subjects));
        try (Connection c = dataSource.getConnection()) {
            for (String subject : subjects) {
                endWinback(c, counts, subject, pseudonyms.get(subject), at);
                for (PersonalStores.Store s : PersonalStores.STORES) {
                    if (s.table().equals("winback_entry")) {
                        continue;   // ended and re-keyed above
                    }
                    String sql = s.action() == PersonalStores.Action.DELETE
                            ? "DELETE FROM " + s.table() + " WHERE " + s.column() + " = ?"
                            : "UPDATE " + s.table() + " SET " + s.column() + " = ? WHERE " + s.column() + " = ?";
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        int i = 1;
                        if (s.action() == PersonalStores.Action.REKEY) {
                            ps.setString(i++, pseudonyms.get(subject));
                        }
                        ps.setString(i, subject);
                        count(counts, s.table() + "." + s.column(), s.action() == PersonalStores.Action.DELETE ? "deleted"
                                : "re-keyed to a pseudonym", ps.executeUpdate());
                    }
                }
            }
            List<StoreCount> stores = new ArrayList<>();
            counts.forEach((k, v) -> stores.add(new StoreCount(k.split(SEP)[0], k.split(SEP)[1], v[0])));
            Receipt receipt = new Receipt(userId, at, requestedBy, subjects, false, stores, notes());
            store(c, receipt);
            return receipt;
        }
    }

    /** A running episode ends as ERASED; every episode of hers is re-keyed (campaign results keep their entrants). */
    private static void endWinback(Connection c, Map<String, long[]> counts, String subject, String pseudonym, Instant at) throws SQLException {
        try (PreparedStatement end = c.prepareStatement("UPDATE winback_entry SET ended_at = ?, outcome = ? WHERE user_id = ? AND ended_at IS NULL");
             PreparedStatement rekey = c.prepareStatement("UPDATE winback_entry SET user_id = ?, winback_id = replace(winback_id, ?, ?) "
                     + "WHERE user_id = ?")) {
            end.setObject(1, at.atOffset(ZoneOffset.UTC));
            end.setString(2, ERASED_OUTCOME);
            end.setString(3, subject);
            count(counts, "winback_entry.outcome", "running episodes ended", end.executeUpdate());
            rekey.setString(1, pseudonym);
            rekey.setString(2, ":" + subject + ":");
            rekey.setString(3, ":" + pseudonym + ":");
            rekey.setString(4, subject);
            count(counts, "winback_entry.user_id", "re-keyed to a pseudonym", rekey.executeUpdate());
        }
    }

    private static List<String> notes() {
        return List.of(
                "Events stay in the log with her personal values encrypted under the destroyed key: unreadable from now on.",
                "Each projection removes her rows again when it reads UserErased (rows a lagging projection writes meanwhile, and replays).",
                "Model training (TrainingLog) and churn scoring skip erased users from the next run; models trained before keep no personal value.",
                "Her running win-back saga ends when it reads UserErased; no further step or action is sent.",
                "Messages for her (or her linked anonymous ids) are no longer stored.",
                "Key caches on other nodes expire within ulm.privacy.key-cache-ttl.");
    }

    private static void count(Map<String, long[]> counts, String store, String action, long n) {
        counts.computeIfAbsent(store + SEP + action, k -> new long[1])[0] += n;
    }

    /** Her own stream and the anonymous streams linked to her (pre-link history lives there, decision 0006). */
    private List<String> subjects(String userId) {
        List<String> subjects = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT s.id FROM (SELECT ?::text AS id UNION SELECT linked_id FROM identity_link WHERE user_id = ?) s
                WHERE EXISTS (SELECT 1 FROM domain_event_entry e WHERE e.aggregate_identifier = s.id)
                ORDER BY s.id <> ?, s.id
                """)) {
            ps.setString(1, userId);
            ps.setString(2, userId);
            ps.setString(3, userId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    subjects.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the streams of " + userId, e);
        }
        return subjects.isEmpty() || !subjects.get(0).equals(userId) ? List.of() : subjects;
    }

    private Optional<Receipt> stored(String userId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT receipt::text FROM privacy_erasure WHERE user_id = ?")) {
            ps.setString(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Json.mapper().readValue(rs.getString(1), Receipt.class)) : Optional.empty();
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("Could not read the erasure of " + userId, e);
        }
    }

    private static void store(Connection c, Receipt receipt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO privacy_erasure (user_id, erased_at, requested_by, receipt) VALUES (?, ?, ?, ?::jsonb) "
                        + "ON CONFLICT (user_id) DO NOTHING")) {   // a concurrent request erased her first: its receipt stays
            ps.setString(1, receipt.userId());
            ps.setObject(2, receipt.erasedAt().atOffset(ZoneOffset.UTC));
            ps.setString(3, receipt.requestedBy());
            ps.setString(4, Json.mapper().writeValueAsString(receipt));
            ps.executeUpdate();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
