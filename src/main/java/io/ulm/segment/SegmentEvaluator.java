package io.ulm.segment;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.ulm.lifecycle.LifecycleClock;
import io.ulm.lifecycle.LifecycleCommands;
import io.ulm.platform.Retry;
import io.ulm.platform.UlmConfig;
import io.ulm.projection.ProjectionProgress;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The segment evaluation job. It is a job, never an event handler, so a replay cannot emit a segment event:
 * it runs when the event-time watermark has moved (scheduled), or on demand. One node at a time (a PostgreSQL
 * advisory lock); it waits for the projections it reads to reach the log's head, computes every user's RFM,
 * rule and (when due) cluster segments at the watermark, diffs them against the ledger of current
 * memberships, and sends the changes as {@code RecordSegmentChanges} through {@link LifecycleCommands}, a
 * batch of users per transaction that also updates the ledger. A crash between batches leaves the rest to the
 * next run; the aggregate drops repeats, so nothing is announced twice.
 */
@ApplicationScoped
public class SegmentEvaluator {

    private static final Logger LOG = Logger.getLogger(SegmentEvaluator.class);

    /** What a call did: {@code status} done, or skipped with {@code detail}. */
    public record Result(String status, String detail, Long evaluation, Instant watermark, String trigger, boolean clustered,
                         long usersChanged, long entered, long left, Map<String, Long> sizes, List<Map<String, String>> skipped,
                         double seconds) {
        static Result skipped(String why) {
            return new Result("skipped", why, null, null, null, false, 0, 0, 0, Map.of(), List.of(), 0);
        }
    }

    private final DataSource dataSource;
    private final LifecycleClock clock;
    private final LifecycleCommands commands;
    private final ProjectionProgress progress;
    private final RuleDefinitions rules;
    private final Clustering clustering;
    private final SegmentLedger ledger;
    private final UlmConfig.Segments config;
    private final int attempts;

    SegmentEvaluator(DataSource dataSource, LifecycleClock clock, LifecycleCommands commands, ProjectionProgress progress,
                     RuleDefinitions rules, Clustering clustering, SegmentLedger ledger, UlmConfig config) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.commands = commands;
        this.progress = progress;
        this.rules = rules;
        this.clustering = clustering;
        this.ledger = ledger;
        this.config = config.segments();
        this.attempts = config.ingest().maxAttempts();
    }

    /**
     * On demand: waits for a running evaluation, then evaluates everything (clusters re-run) at the current
     * watermark. Scheduled: evaluates only if the watermark moved since the last run, at most every
     * {@code ulm.segments.min-interval}; re-runs the clustering when the last one is older than
     * {@code ulm.segments.cluster-interval}. Must be called outside a transaction.
     */
    public Result evaluate(boolean onDemand) {
        try (Connection lock = dataSource.getConnection()) {
            if (!SegmentLedger.lock(lock, onDemand)) {
                return Result.skipped("another node is evaluating segments");
            }
            try {
                return run(onDemand);
            } finally {
                SegmentLedger.unlock(lock);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Segment evaluation failed: " + e.getMessage(), e);
        }
    }

    private Result run(boolean onDemand) throws SQLException {
        long t0 = System.nanoTime();
        Instant watermark = clock.watermark();
        if (watermark == null) {
            return Result.skipped("no event has been ingested yet: there is no watermark");
        }
        SegmentLedger.Last last = ledger.last();
        Instant now = Instant.now();
        if (!onDemand && last != null) {
            if (!watermark.isAfter(last.watermark())) {
                return Result.skipped("the watermark has not moved since the last evaluation (" + last.watermark() + ")");
            }
            if (last.startedAt().plus(config.minInterval()).isAfter(now)) {
                return Result.skipped("the last evaluation started less than " + config.minInterval() + " ago");
            }
        }
        boolean cluster = onDemand || last == null || last.clusteredAt() == null
                || !last.clusteredAt().plus(config.clusterInterval()).isAfter(now);
        List<RuleDefinition> definitions = rules.load(); // a bad file stops the run here, before any change
        awaitProjections();
        String trigger = onDemand ? "demand" : "watermark";
        long id = ledger.begin(watermark, trigger, cluster);
        LocalDate day = watermark.atOffset(ZoneOffset.UTC).toLocalDate();

        Desired desired = new Desired();
        ClusterRun run = null;
        try (Connection c = dataSource.getConnection()) {
            for (Rfm.Score s : Rfm.scores(c, day)) {
                desired.rfm(s);
            }
            String table = interestTable();
            boolean interests = table != null && ledger.hasInterestTable(table);
            for (RuleDefinition d : definitions) {
                List<String> needs = d.interestLocations();
                if (!needs.isEmpty() && !interests) {
                    desired.skip(d.segmentId(), "uses category interests (" + String.join(", ", needs) + ") but the features "
                            + "projection's table '" + config.interestTable() + "' (user_id, category, weight) does not exist: not evaluated");
                    continue;
                }
                desired.rule(d, RuleSql.compile(d, table).members(c, day));
            }
            if (cluster) {
                run = clustering.run(c, day);
                desired.clusters(run);
            }
        }
        Map<String, SegmentDiff.UserChanges> changes = SegmentDiff.diff(desired, ledger.current(), cluster, definitions);
        long[] totals = send(changes, watermark, id);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("sizes", desired.sizes());
        summary.put("skipped", desired.skipped());
        ClusterRun clusters = run;
        QuarkusTransaction.requiringNew().run(() -> {
            try {
                ledger.finish(id, changes.size(), totals[0], totals[1], summary);
                if (clusters != null) {
                    ledger.replaceClusters(id, watermark, clusters);
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        double seconds = (System.nanoTime() - t0) / 1e9;
        LOG.infof("Segment evaluation %d at watermark %s (%s%s): %d users changed, %d entries, %d exits in %.1f s", id, watermark,
                trigger, cluster ? ", clustered" : "", changes.size(), totals[0], totals[1], seconds);
        for (Map<String, String> s : desired.skipped()) {
            LOG.warnf("Segment %s skipped: %s", s.get("segmentId"), s.get("reason"));
        }
        return new Result("done", null, id, watermark, trigger, cluster, changes.size(), totals[0], totals[1], desired.sizes(),
                desired.skipped(), Math.round(seconds * 1000) / 1000.0);
    }

    /** Entries and exits, a batch of users per transaction, with the ledger rows of the same users. */
    private long[] send(Map<String, SegmentDiff.UserChanges> changes, Instant watermark, long id) {
        long[] totals = new long[2];
        List<String> users = new ArrayList<>(changes.keySet());
        for (int from = 0; from < users.size(); from += config.batch()) {
            Map<String, Object> batch = new TreeMap<>();
            List<String[]> entered = new ArrayList<>();
            List<String[]> left = new ArrayList<>();
            for (String user : users.subList(from, Math.min(users.size(), from + config.batch()))) {
                SegmentDiff.UserChanges u = changes.get(user);
                batch.put(user, u.command(user, watermark, id));
                u.entered().forEach(ch -> entered.add(new String[]{ch.segmentId(), user}));
                u.left().forEach(ch -> left.add(new String[]{ch.segmentId(), user}));
            }
            Retry.times(attempts, () -> QuarkusTransaction.requiringNew().call(() -> {
                commands.send(batch);
                ledger.apply(entered, left);
                return null;
            }));
            totals[0] += entered.size();
            totals[1] += left.size();
        }
        return totals;
    }

    private void awaitProjections() {
        try {
            if (!progress.awaitCaughtUp(config.catchUpTimeout())) {
                throw new ProjectionsBehind("the projections segments are computed from did not catch up with the event log within "
                        + config.catchUpTimeout() + "; try again later (GET /v1/admin/projections shows the lag)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the projections", e);
        }
    }

    /** The configured interest table if it is a plain (optionally schema-qualified) identifier; it is spliced into SQL. */
    private String interestTable() {
        String t = config.interestTable();
        return t.matches("[a-z_][a-z0-9_]{0,62}(\\.[a-z_][a-z0-9_]{0,62})?") ? t : null;
    }

    /** The read models lag behind the log for longer than the evaluation waits. */
    public static final class ProjectionsBehind extends RuntimeException {
        ProjectionsBehind(String message) {
            super(message);
        }
    }
}
