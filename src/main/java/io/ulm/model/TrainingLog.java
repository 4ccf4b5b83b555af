package io.ulm.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.ulm.catalogue.CatalogueReads;
import io.ulm.model.recsys.Interaction;
import io.ulm.platform.Json;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What models learn from: every activity in the event log (ActivityRecorded classified as activity), in log order,
 * with event time, purchase/refund flags, revenue and items. Read straight from the event table's JSON payloads:
 * training reads a few fields of every event, and skipping Axon's message machinery makes it several times faster.
 * Personal values stay encrypted in the payload and are never read. Erased users (key destroyed, docs/privacy.md) are
 * left out: the next training run and scoring run do not see them.
 */
@ApplicationScoped
public class TrainingLog {

    /** One activity of one user. */
    public record Activity(String userId, Instant at, boolean purchase, boolean refund, BigDecimal revenue, List<String> itemIds) {
    }

    private static final String NOT_ERASED = " AND NOT EXISTS (SELECT 1 FROM keyvault.user_key k WHERE "
            + "k.user_id = e.aggregate_identifier AND k.destroyed_at IS NOT NULL)";
    private static final String ACTIVITY = "SELECT payload FROM domain_event_entry e WHERE payload_type = "
            + "'io.ulm.lifecycle.api.ActivityRecorded'" + NOT_ERASED;
    private static final String ACTIVITIES = ACTIVITY + " ORDER BY global_index";
    /** A user's events are appended in sequence order, so per user this is log order too. */
    private static final String BY_USER = ACTIVITY + " ORDER BY aggregate_identifier, sequence_number";
    private static final int FETCH = 5_000;

    private final DataSource dataSource;
    private final CatalogueReads catalogue;
    private final ModelConfig config;

    TrainingLog(DataSource dataSource, CatalogueReads catalogue, ModelConfig config) {
        this.dataSource = dataSource;
        this.catalogue = catalogue;
        this.config = config;
    }

    /** Every activity, streamed in log order. */
    public void activities(Consumer<Activity> sink) {
        stream(ACTIVITIES, sink);
    }

    /**
     * Every user's activities (in log order), one user at a time: only one user's history is held at once, whatever
     * the size of the log (the churn scoring job).
     */
    public void activitiesByUser(Consumer<List<Activity>> sink) {
        List<Activity> user = new ArrayList<>();
        stream(BY_USER, a -> {
            if (!user.isEmpty() && !user.get(0).userId().equals(a.userId())) {
                sink.accept(List.copyOf(user));
                user.clear();
            }
            user.add(a);
        });
        if (!user.isEmpty()) {
            sink.accept(List.copyOf(user));
        }
    }

    private void stream(String query, Consumer<Activity> sink) {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);   // PostgreSQL streams with a fetch size only inside a transaction
            try (PreparedStatement ps = c.prepareStatement(query)) {
                ps.setFetchSize(FETCH);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Activity a = parse(Json.mapper().readTree(rs.getBytes(1)));
                        if (a != null) {
                            sink.accept(a);
                        }
                    }
                }
            } finally {
                c.rollback();
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("Could not read the event log for training", e);
        }
    }

    /** One user's activities, in log order (the churn-risk endpoint scores her alone). */
    public List<Activity> activitiesOf(String userId) {
        List<Activity> all = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(ACTIVITY + " AND aggregate_identifier = ? ORDER BY sequence_number")) {
            ps.setString(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Activity a = parse(Json.mapper().readTree(rs.getBytes(1)));
                    if (a != null) {
                        all.add(a);
                    }
                }
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("Could not read the user's events", e);
        }
        return all;
    }

    /**
     * What the recommenders learn from: one interaction per item of every activity but refunds, in log order, without
     * the items of {@code ulm.models.recommendations.excluded-categories} (never learnt, never held out for
     * evaluation); the watermark is the latest event time among those activities.
     */
    public Interactions interactions() {
        Set<String> leftOut = catalogue.itemsIn(config.recommendations().excludedCategories());
        List<Interaction> interactions = new ArrayList<>();
        Instant[] watermark = {null};
        activities(a -> {
            if (!a.refund()) {
                a.itemIds().stream().filter(item -> !leftOut.contains(item)).forEach(item -> interactions.add(new Interaction(a.userId(), item, a.at(), 1)));
                watermark[0] = watermark[0] == null || a.at().isAfter(watermark[0]) ? a.at() : watermark[0];
            }
        });
        if (interactions.isEmpty()) {
            throw new IllegalStateException("No activity names an item yet: nothing to learn from");
        }
        return new Interactions(interactions, watermark[0]);
    }

    /** Interactions in log order and the latest event time they reflect. */
    public record Interactions(List<Interaction> list, Instant watermark) {
    }

    /** Every activity, in memory (fine up to a few million). */
    public List<Activity> activities() {
        List<Activity> all = new ArrayList<>();
        activities(all::add);
        return all;
    }

    static Activity parse(JsonNode e) {
        JsonNode kind = e.path("kind");
        if (!kind.path("activity").asBoolean(false)) {
            return null;
        }
        List<String> items = new ArrayList<>();
        e.path("itemIds").forEach(i -> items.add(i.asText()));
        JsonNode revenue = e.get("revenue");
        return new Activity(e.path("userId").asText(), Instant.parse(e.path("at").asText()), kind.path("purchase").asBoolean(false),
                kind.path("refund").asBoolean(false), revenue == null || revenue.isNull() ? null : revenue.decimalValue(), List.copyOf(items));
    }
}
