package io.ulm.model;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.ulm.lifecycle.LifecycleCommands;
import io.ulm.lifecycle.api.RecordChurnRisk;
import io.ulm.model.churn.Features;
import io.ulm.model.churn.RepeatPurchases;
import io.ulm.model.churn.UserHistory;
import io.ulm.platform.Json;
import io.ulm.platform.Retry;
import io.ulm.platform.UlmConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Scores every user with the active churn model at the event-time watermark (on demand, and on a schedule when
 * the watermark or the model changed), writes {@code churn_score}, and sends {@code RecordChurnRisk} to the users at
 * or above the threshold; their aggregates raise {@code ChurnRiskRaised} once per episode. A job, never a projection
 * handler: replays neither score nor raise anything. One node at a time (an advisory lock).
 */
@ApplicationScoped
public class ChurnScoringJob {

    private static final Logger LOG = Logger.getLogger(ChurnScoringJob.class);
    /** Advisory lock key ("ulm-chrn"). */
    private static final long LOCK = 0x756c6d2d6368726eL;
    /** Rows per ONNX Runtime call. */
    static final int CHUNK = 4_096;

    /** What a run did. */
    public record Summary(long modelId, Instant at, long users, long raised, double seconds, double usersPerMinute) {
    }

    private final ChurnScoring scoring;
    private final TrainingLog log;
    private final LifecycleCommands commands;
    private final DataSource dataSource;
    private final ModelConfig config;
    private final int attempts;

    ChurnScoringJob(ChurnScoring scoring, TrainingLog log, LifecycleCommands commands, DataSource dataSource, ModelConfig config,
                    UlmConfig ulm) {
        this.scoring = scoring;
        this.log = log;
        this.commands = commands;
        this.dataSource = dataSource;
        this.config = config;
        this.attempts = ulm.ingest().maxAttempts();
    }

    @Scheduled(every = "${ulm.models.churn.score-every}", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        Optional<ChurnScoring.Context> ctx = scoring.context();
        if (ctx.isEmpty() || !changed(ctx.get().served().info().id())) {
            return;
        }
        run(ctx.get(), false);
    }

    /** Scores now (waits for another node's run to finish first). */
    public Optional<Summary> run() {
        return scoring.context().flatMap(ctx -> run(ctx, true));
    }

    private Optional<Summary> run(ChurnScoring.Context ctx, boolean wait) {
        try (Connection lock = dataSource.getConnection(); Statement s = lock.createStatement()) {
            try (ResultSet rs = s.executeQuery(wait ? "SELECT pg_advisory_lock(" + LOCK + "), true" : "SELECT true, pg_try_advisory_lock(" + LOCK + ")")) {
                rs.next();
                if (!rs.getBoolean(2)) {
                    return Optional.empty();
                }
            }
            try {
                // a scheduled run checks again under the lock: another node may have scored this watermark between
                // the check before the lock and now (it records its run before it unlocks)
                if (!wait && !changed(ctx.served().info().id())) {
                    return Optional.empty();
                }
                return Optional.of(score(ctx));
            } finally {
                s.execute("SELECT pg_advisory_unlock(" + LOCK + ")");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Churn scoring failed", e);
        }
    }

    /**
     * Every user with an activity before the watermark, read from the log one user at a time and scored in chunks.
     * Every user, not only those active since the last run: each feature vector is taken at the watermark (recency,
     * tenure, the 28-day windows, BG/NBD's T), so every score moves when the watermark does (docs/models.md).
     */
    private Summary score(ChurnScoring.Context ctx) throws SQLException {
        long started = System.nanoTime();
        Instant at = scoring.watermark();
        List<UserHistory> chunk = new ArrayList<>(CHUNK);
        long[] counts = new long[2];   // users, raised
        log.activitiesByUser(activities -> {
            UserHistory h = ChurnHistories.of(activities).get(0);
            if (h.hasActivityBefore(at)) {
                chunk.add(h.before(at));
            }
            if (chunk.size() == CHUNK) {
                counts[1] += score(ctx, chunk, at);
                counts[0] += chunk.size();
                chunk.clear();
            }
        });
        if (!chunk.isEmpty()) {
            counts[1] += score(ctx, chunk, at);
            counts[0] += chunk.size();
        }
        long users = counts[0];
        long raised = counts[1];
        double seconds = (System.nanoTime() - started) / 1e9;
        record(ctx.served().info().id(), at, users, raised, seconds);
        Summary summary = new Summary(ctx.served().info().id(), at, users, raised, seconds, users / seconds * 60);
        LOG.infof("Churn scoring: %s", summary);
        return summary;
    }

    /** Scores one chunk, writes its scores and raises its risks; how many were raised. */
    private long score(ChurnScoring.Context ctx, List<UserHistory> chunk, Instant at) {
        Features features = scoring.features();
        float[][] x = new float[chunk.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = features.compute(chunk.get(i), at);
        }
        double[] p = ChurnScoring.run(ctx.served(), x);
        write(ctx, chunk, x, p, at);
        return raise(ctx, chunk, x, p, at);
    }

    private void write(ChurnScoring.Context ctx, List<UserHistory> chunk, float[][] x, double[] p, Instant at) {
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO churn_score (user_id, score, p_alive, expected_purchases, clv, model_id, at, features) VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb) "
                            + "ON CONFLICT (user_id) DO UPDATE SET score = EXCLUDED.score, p_alive = EXCLUDED.p_alive, expected_purchases = "
                            + "EXCLUDED.expected_purchases, clv = EXCLUDED.clv, model_id = EXCLUDED.model_id, at = EXCLUDED.at, features = EXCLUDED.features")) {
                for (int i = 0; i < x.length; i++) {
                    ChurnScoring.Figures f = scoring.figures(ctx, RepeatPurchases.of(chunk.get(i), at));
                    ps.setString(1, chunk.get(i).userId());
                    ps.setDouble(2, p[i]);
                    ps.setObject(3, f.pAlive());
                    ps.setObject(4, f.expected());
                    ps.setObject(5, f.clv());
                    ps.setLong(6, ctx.served().info().id());
                    ps.setTimestamp(7, Timestamp.from(at));
                    ps.setString(8, Json.mapper().writeValueAsString(named(ctx.served().features(), x[i])));
                    ps.addBatch();
                }
                ps.executeBatch();
            } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("Could not write churn scores", e);
            }
        });
    }

    /** RecordChurnRisk for the users at or above the threshold, a batch of users per transaction. */
    private long raise(ChurnScoring.Context ctx, List<UserHistory> chunk, float[][] x, double[] p, Instant at) {
        double threshold = config.churn().threshold();
        Map<String, Object> over = new TreeMap<>();
        ModelRegistry.ModelInfo m = ctx.served().info();
        for (int i = 0; i < x.length; i++) {
            if (p[i] >= threshold) {
                over.put(chunk.get(i).userId(), new RecordChurnRisk(chunk.get(i).userId(), p[i], threshold, m.id(), m.version(), at,
                        named(ctx.served().features(), x[i])));
            }
        }
        List<String> ids = new ArrayList<>(over.keySet());
        for (int from = 0; from < ids.size(); from += config.churn().batch()) {
            Map<String, Object> batch = new TreeMap<>();
            ids.subList(from, Math.min(ids.size(), from + config.churn().batch())).forEach(u -> batch.put(u, over.get(u)));
            Retry.times(attempts, () -> QuarkusTransaction.requiringNew().call(() -> commands.send(batch)));
        }
        return ids.size();
    }

    /** Feature name to value; missing (NaN) values left out. */
    private static Map<String, Object> named(List<String> names, float[] x) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int j = 0; j < x.length; j++) {
            if (!Float.isNaN(x[j])) {
                out.put(names.get(j), (double) x[j]);
            }
        }
        return out;
    }

    private boolean changed(long modelId) {
        Instant at = scoring.watermark();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT model_id, at FROM churn_scoring ORDER BY id DESC LIMIT 1")) {
            try (ResultSet rs = ps.executeQuery()) {
                return !rs.next() || rs.getLong(1) != modelId || !rs.getTimestamp(2).toInstant().equals(at);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void record(long modelId, Instant at, long users, long raised, double seconds) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO churn_scoring (model_id, at, users, raised, seconds) VALUES (?, ?, ?, ?, ?)")) {
            ps.setLong(1, modelId);
            ps.setTimestamp(2, Timestamp.from(at));
            ps.setLong(3, users);
            ps.setLong(4, raised);
            ps.setDouble(5, seconds);
            ps.executeUpdate();
        }
    }
}
