package io.ulm.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ulm.audit.RevealedTimeline;
import io.ulm.platform.Json;
import io.ulm.platform.privacy.KeyVault;
import io.ulm.platform.privacy.PersonalData;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything ULM holds about a user (docs/privacy.md): her profile with decrypted traits, her timeline with the
 * reasons of every transition, and her rows in every store of {@link PersonalStores} (segments, features, interests,
 * scores, win-back episodes and the actions sent), as one JSON document.
 */
@ApplicationScoped
public class DataExport {

    /** Stores not exported: internal bookkeeping with nothing about her beyond what the sections above show. */
    private static final Set<String> SKIPPED = Set.of("snapshot_event_entry");

    private final DataSource dataSource;
    private final RevealedTimeline timeline;
    private final PersonalData personalData;
    private final KeyVault keys;

    DataExport(DataSource dataSource, RevealedTimeline timeline, PersonalData personalData, KeyVault keys) {
        this.dataSource = dataSource;
        this.timeline = timeline;
        this.personalData = personalData;
        this.keys = keys;
    }

    /** The export of the user {@code id} resolves to; empty when unknown. Blocking (JDBC): call on a worker. */
    public Optional<ObjectNode> export(String id) {
        Optional<String> resolved = timeline.resolve(id);
        if (resolved.isEmpty()) {
            return Optional.empty();
        }
        String userId = resolved.get();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("userId", userId);
        out.put("exportedAt", Instant.now().toString());
        boolean erased = !keys.erased(List.of(userId)).isEmpty();
        out.put("erased", erased);
        ObjectNode stores = JsonNodeFactory.instance.objectNode();
        try (Connection c = dataSource.getConnection()) {
            for (PersonalStores.Store s : PersonalStores.STORES) {
                if (!SKIPPED.contains(s.table())) {
                    String name = s.column().equals("user_id") || s.column().equals("msg_key") ? s.table() : s.table() + "." + s.column();
                    stores.set(name, rows(c, s, userId));
                }
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("Could not export " + userId, e);
        }
        revealTraits(userId, (ArrayNode) stores.get("user_trait"));
        out.set("profile", first(stores.get("user_profile")));
        out.set("traits", traits(stores.get("user_trait")));
        out.set("identities", stores.get("user_identity"));
        out.set("segments", stores.get("segment_membership"));
        out.set("features", first(stores.get("user_feature")));
        out.set("scores", JsonNodeFactory.instance.objectNode().set("churn", first(stores.get("churn_score"))));
        out.set("winback", stores.get("winback_entry"));
        out.set("actionsSent", stores.get("outbox"));
        out.set("timeline", Json.mapper().valueToTree(timeline.of(userId)));
        out.set("stores", stores);
        return Optional.of(out);
    }

    private static ArrayNode rows(Connection c, PersonalStores.Store s, String userId) throws SQLException, IOException {
        ArrayNode rows = JsonNodeFactory.instance.arrayNode();
        try (PreparedStatement ps = c.prepareStatement("SELECT row_to_json(t)::text FROM " + s.table() + " t WHERE "
                + s.column() + " = ?")) {
            ps.setString(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(Json.mapper().readTree(rs.getString(1)));
                }
            }
        }
        return rows;
    }

    /** Each trait row's value decrypted with her key. */
    private void revealTraits(String userId, ArrayNode traits) {
        for (JsonNode row : traits) {
            ObjectNode wrapper = JsonNodeFactory.instance.objectNode();
            wrapper.set("value", row.get("value"));
            ((ObjectNode) row).set("value", personalData.reveal(userId, wrapper).get("value"));
        }
    }

    private static ObjectNode traits(JsonNode rows) {
        ObjectNode traits = JsonNodeFactory.instance.objectNode();
        rows.forEach(r -> traits.set(r.path("trait").asText(), r.get("value")));
        return traits;
    }

    private static JsonNode first(JsonNode rows) {
        return rows.isEmpty() ? JsonNodeFactory.instance.nullNode() : rows.get(0);
    }
}
