package io.ulm.ingest;

import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Routes messages to user aggregates through {@code identity_link} (see docs/decisions/0006-identity.md):
 * <ul>
 *   <li>a message with a userId goes to that user (or to the user an alias made it part of);</li>
 *   <li>a message with only an anonymousId goes to the user it is linked to, else to {@code anon:<id>};</li>
 *   <li>a message carrying both ids links the anonymousId to the user if it is not linked yet; an alias
 *       links its previousId. The first link wins; later conflicting links are ignored.</li>
 * </ul>
 * Links are written in the ingestion transaction, so a rolled-back request links nothing.
 */
@ApplicationScoped
public class IdentityResolver {

    private final DataSource dataSource;

    IdentityResolver(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Routes every message, creating the links the messages establish, in request order. */
    public List<Deduplicator.Routed> route(List<IncomingMessage> messages) {
        try (Connection c = dataSource.getConnection()) {
            Map<String, String> links = load(c, keys(messages));
            List<Deduplicator.Routed> routed = new ArrayList<>(messages.size());
            for (IncomingMessage m : messages) {
                String user = m.userId() != null ? links.getOrDefault(m.userId(), m.userId()) : links.getOrDefault(m.rawKey(), m.rawKey());
                List<String> linked = new ArrayList<>(2);
                for (String key : linkable(m)) {
                    if (links.containsKey(key) || key.equals(user)) {
                        continue;
                    }
                    if (link(c, key, user, m)) {
                        links.put(key, user);
                        linked.add(key);
                    } else {
                        links.put(key, reload(c, key, user)); // a concurrent request linked it first
                    }
                }
                routed.add(new Deduplicator.Routed(m, user, linked));
            }
            return routed;
        } catch (SQLException e) {
            throw new DatabaseException("Could not resolve identities", e);
        }
    }

    /** The keys this message links to its user: its anonymous key, and for alias the previous id. */
    private static List<String> linkable(IncomingMessage m) {
        List<String> keys = new ArrayList<>(2);
        if (m.userId() == null) {
            return keys;
        }
        if (m.anonymousId() != null) {
            keys.add(IdentityKeys.anonymous(m.anonymousId()));
        }
        if ("alias".equals(m.type()) && m.previousId() != null) {
            keys.add(m.previousId());
            keys.add(IdentityKeys.anonymous(m.previousId()));
        }
        return keys;
    }

    private static Set<String> keys(List<IncomingMessage> messages) {
        Set<String> keys = new LinkedHashSet<>();
        for (IncomingMessage m : messages) {
            keys.add(m.rawKey());
            if (m.userId() != null) {
                keys.add(m.userId());
            }
            keys.addAll(linkable(m));
        }
        return keys;
    }

    private static Map<String, String> load(Connection c, Set<String> keys) throws SQLException {
        Map<String, String> links = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT linked_id, user_id FROM identity_link WHERE linked_id = ANY(?)")) {
            Array array = c.createArrayOf("text", keys.toArray());
            ps.setArray(1, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    links.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return links;
    }

    private static boolean link(Connection c, String key, String user, IncomingMessage m) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO identity_link (linked_id, user_id, via, linked_at) "
                + "VALUES (?, ?, ?, ?) ON CONFLICT (linked_id) DO NOTHING")) {
            ps.setString(1, key);
            ps.setString(2, user);
            ps.setString(3, m.type());
            ps.setObject(4, m.at().atOffset(ZoneOffset.UTC));
            return ps.executeUpdate() == 1;
        }
    }

    /** After losing a race for a link, the committed winner. */
    private static String reload(Connection c, String key, String fallback) throws SQLException {
        Map<String, String> found = load(c, Set.of(key));
        return found.getOrDefault(key, fallback);
    }
}
