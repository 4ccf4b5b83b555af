package io.ulm.winback;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.ulm.lifecycle.LifecycleClock;
import io.ulm.lifecycle.api.ActivityRecorded;
import io.ulm.lifecycle.api.ChurnRiskRaised;
import io.ulm.lifecycle.api.StageChanged;
import io.ulm.lifecycle.api.TraitsUpdated;
import io.ulm.lifecycle.api.UserEnteredSegment;
import io.ulm.lifecycle.api.UserLeftSegment;
import io.ulm.platform.Json;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs a {@link Backtest} of a campaign over the whole event log up to the lifecycle watermark and keeps the run and
 * its would-be actions in {@code winback_backtest} / {@code winback_backtest_action} — never in the outbox, never in
 * the saga's tables, never on Kafka. The log is read in one streamed statement, one user at a time.
 */
@ApplicationScoped
public class WinbackBacktests {

    static final String COST_BASIS = "offer value = tier discount × her mean order value (purchases before entry); "
            + "redeemed = tier discount × her first order between the offer and the window's end";

    private static final Set<Class<?>> TYPES = Set.of(StageChanged.class, ChurnRiskRaised.class, ActivityRecorded.class,
            TraitsUpdated.class, UserEnteredSegment.class, UserLeftSegment.class);

    public record ArmReport(String arm, long entered, long decided, long pending, long returned, Double returnRate,
                            long reminders, long offers, BigDecimal offerValue, BigDecimal redeemedValue) {
    }

    public record Week(LocalDate week, long entered, Map<String, Long> arms) {
    }

    /**
     * @param historyEnd              the lifecycle watermark: the backtest's "now"
     * @param holdoutNaturalReturnRate the holdout's returned / decided: the campaign's baseline
     */
    public record Report(long runId, String campaignId, Instant historyEnd, long users, long triggers, long entered,
                         Map<String, Long> skipped, List<ArmReport> arms, Double holdoutNaturalReturnRate, List<Week> weeks,
                         long actions, String costBasis) {
        Report withRunId(long id) {
            return new Report(id, campaignId, historyEnd, users, triggers, entered, skipped, arms, holdoutNaturalReturnRate,
                    weeks, actions, costBasis);
        }
    }

    private final DataSource dataSource;
    private final WinbackLog log;
    private final LifecycleClock clock;

    WinbackBacktests(DataSource dataSource, WinbackLog log, LifecycleClock clock) {
        this.dataSource = dataSource;
        this.log = log;
        this.clock = clock;
    }

    /** Runs and stores a backtest; empty when there is no history (no watermark yet). */
    public java.util.Optional<Report> run(WinbackPolicy policy) {
        Instant end = clock.watermark();
        if (end == null) {
            return java.util.Optional.empty();
        }
        Set<String> erased = erased();
        List<Backtest.Episode> episodes = new ArrayList<>();
        List<Backtest.Skipped> skipped = new ArrayList<>();
        long[] users = {0};
        String[] current = {null};
        List<Object> events = new ArrayList<>();
        Runnable flush = () -> {
            if (current[0] != null) {
                users[0]++;
                Backtest.Result r = Backtest.run(policy, current[0], events, erased.contains(current[0]), end);
                episodes.addAll(r.episodes());
                skipped.addAll(r.skipped());
            }
            events.clear();
        };
        log.read(null, TYPES, (user, event) -> {
            if (!user.equals(current[0])) {
                flush.run();
                current[0] = user;
            }
            events.add(event);
        });
        flush.run();
        Report draft = report(0, policy, end, users[0], episodes, skipped);
        return java.util.Optional.of(QuarkusTransaction.requiringNew().call(() -> store(policy, end, draft, episodes)));
    }

    static Report report(long id, WinbackPolicy policy, Instant end, long users, List<Backtest.Episode> episodes,
                         List<Backtest.Skipped> skipped) {
        Map<String, long[]> counts = new LinkedHashMap<>();   // entered, decided, pending, returned, reminders, offers
        Map<String, BigDecimal[]> money = new LinkedHashMap<>();
        counts.put(Assignment.HOLDOUT, new long[6]);
        money.put(Assignment.HOLDOUT, new BigDecimal[]{BigDecimal.ZERO, BigDecimal.ZERO});
        policy.arms().forEach(a -> {
            counts.put(a.id(), new long[6]);
            money.put(a.id(), new BigDecimal[]{BigDecimal.ZERO, BigDecimal.ZERO});
        });
        TreeMap<LocalDate, Map<String, Long>> weeks = new TreeMap<>();
        long actions = 0;
        for (Backtest.Episode e : episodes) {
            long[] c = counts.get(e.arm());
            c[0]++;
            c[e.outcome() == Outcome.PENDING ? 2 : 1]++;
            c[3] += e.outcome() == Outcome.WON_BACK ? 1 : 0;
            c[4] += e.reminders();
            c[5] += e.offers();
            BigDecimal[] m = money.get(e.arm());
            m[0] = m[0].add(e.offerCost());
            m[1] = m[1].add(e.redeemed());
            LocalDate week = e.enteredAt().atZone(ZoneOffset.UTC).toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            weeks.computeIfAbsent(week, w -> new LinkedHashMap<>()).merge(e.arm(), 1L, Long::sum);
            actions += e.actions().size();
        }
        List<ArmReport> arms = new ArrayList<>();
        counts.forEach((arm, c) -> arms.add(new ArmReport(arm, c[0], c[1], c[2], c[3], c[1] == 0 ? null : c[3] / (double) c[1],
                c[4], c[5], money.get(arm)[0], money.get(arm)[1])));
        Map<String, Long> reasons = new TreeMap<>();
        skipped.forEach(s -> reasons.merge(s.reason().name(), 1L, Long::sum));
        List<Week> perWeek = new ArrayList<>();
        weeks.forEach((w, byArm) -> perWeek.add(new Week(w, byArm.values().stream().mapToLong(Long::longValue).sum(), byArm)));
        return new Report(id, policy.campaignId(), end, users, episodes.size() + skipped.size(), episodes.size(), reasons, arms,
                arms.get(0).returnRate(), perWeek, actions, COST_BASIS);
    }

    private Report store(WinbackPolicy policy, Instant end, Report draft, List<Backtest.Episode> episodes) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            long id;
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO winback_backtest (campaign_id, history_end, report) VALUES (?, ?, '{}'::jsonb) RETURNING id")) {
                ps.setString(1, policy.campaignId());
                ps.setObject(2, end.atOffset(ZoneOffset.UTC));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            Report report = draft.withRunId(id);
            try (PreparedStatement ps = c.prepareStatement("UPDATE winback_backtest SET report = ?::jsonb WHERE id = ?")) {
                ps.setString(1, Json.mapper().writeValueAsString(report));
                ps.setLong(2, id);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO winback_backtest_action (backtest_id, action_id, user_id, type, arm, at, payload)
                    VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)
                    """)) {
                int n = 0;
                for (Backtest.Episode e : episodes) {
                    for (Backtest.Action a : e.actions()) {
                        ps.setLong(1, id);
                        ps.setString(2, a.actionId());
                        ps.setString(3, a.userId());
                        ps.setString(4, a.type());
                        ps.setString(5, a.arm());
                        ps.setObject(6, a.at().atOffset(ZoneOffset.UTC));
                        ps.setString(7, Json.mapper().writeValueAsString(a));
                        ps.addBatch();
                        if (++n % 1000 == 0) {
                            ps.executeBatch();
                        }
                    }
                }
                ps.executeBatch();
            }
            return report;
        }
    }

    private Set<String> erased() {
        Set<String> out = new HashSet<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT user_id FROM keyvault.user_key WHERE destroyed_at IS NOT NULL"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read erased users", e);
        }
        return out;
    }
}
