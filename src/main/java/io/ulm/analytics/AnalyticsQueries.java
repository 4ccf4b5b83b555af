package io.ulm.analytics;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.ulm.lifecycle.Stage;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The reports' SQL, run through Hibernate Reactive. Each report is ONE statement (one snapshot) that
 * aggregates in PostgreSQL, so only O(periods²) numbers cross the wire whatever the number of users;
 * the Java models then only assemble, fill gaps and divide. Buckets: {@code date_trunc} on UTC times and
 * days (ISO weeks, Monday 00:00 UTC). The period unit is spliced in from {@link Period#sql()}, a
 * constant; every value from a request is a bound parameter.
 */
@ApplicationScoped
public class AnalyticsQueries {

    private static final String COHORTS = """
            WITH acq AS (
                SELECT user_id, CAST(date_trunc('{u}', acquired_at AT TIME ZONE 'UTC') AS date) AS cohort
                FROM analytics_acquisition WHERE acquired_at >= ?1 AND acquired_at < ?2),
            act AS (
                SELECT DISTINCT a.user_id, a.cohort, CAST(date_trunc('{u}', CAST(d.day AS timestamp)) AS date) AS p
                FROM acq a JOIN analytics_activity_day d ON d.user_id = a.user_id
                WHERE d.day < ?4),
            k AS (SELECT cohort, user_id, {k} AS k FROM act WHERE p >= cohort)
            SELECT 0, cohort, 0, count(*) FROM acq GROUP BY cohort
            UNION ALL SELECT 1, cohort, k, count(*) FROM k GROUP BY cohort, k
            UNION ALL SELECT 2, cohort, k, count(*) FROM (SELECT cohort, user_id, max(k) AS k FROM k GROUP BY cohort, user_id) m
                GROUP BY cohort, k
            UNION ALL SELECT 3, greatest(
                (SELECT max(day) FROM analytics_activity_day WHERE day >= ?3 AND day < ?4),
                (SELECT CAST(max(acquired_at AT TIME ZONE 'UTC') AS date) FROM analytics_acquisition
                  WHERE acquired_at >= ?1 AND acquired_at < ?2)), 0, 0
            """;
    /** Period index of p after the cohort's period. */
    private static final String WEEKS_AFTER = "CAST((p - cohort) / 7 AS int)";
    private static final String MONTHS_AFTER = "CAST((extract(year FROM p) - extract(year FROM cohort)) * 12"
            + " + extract(month FROM p) - extract(month FROM cohort) AS int)";

    /**
     * Per user, her active periods (from her acquisition period on) with the previous and next active period:
     * new, returning and resurrecting are counted in the period itself, dormant in the period after an
     * active one that is not followed by activity. Activity after the window does not count; the previous
     * period may lie before it (the first period of the window still knows who was active just before).
     */
    private static final String LIFECYCLE = """
            WITH acq AS (
                SELECT user_id, CAST(date_trunc('{u}', acquired_at AT TIME ZONE 'UTC') AS date) AS a FROM analytics_acquisition),
            act AS (
                SELECT DISTINCT user_id, CAST(date_trunc('{u}', CAST(day AS timestamp)) AS date) AS p
                FROM analytics_activity_day WHERE day < ?2),
            s AS (
                SELECT act.p, acq.a,
                       CAST(act.p - interval '1 {u}' AS date) AS before, CAST(act.p + interval '1 {u}' AS date) AS after,
                       lag(act.p) OVER w AS prev, lead(act.p) OVER w AS next
                FROM act JOIN acq ON acq.user_id = act.user_id
                WHERE act.p >= acq.a
                WINDOW w AS (PARTITION BY act.user_id ORDER BY act.p))
            SELECT p, count(*) FILTER (WHERE p = a),
                   count(*) FILTER (WHERE p > a AND prev = before),
                   count(*) FILTER (WHERE p > a AND prev IS DISTINCT FROM before),
                   CAST(0 AS bigint)
            FROM s WHERE p >= ?1 GROUP BY p
            UNION ALL
            SELECT after, 0, 0, 0, count(*) FROM s
            WHERE next IS DISTINCT FROM after AND after >= ?1 AND after < ?2 GROUP BY after
            """;

    private static final String TRANSITIONS = """
            SELECT {bucket}, from_stage, to_stage, count(*) FROM analytics_stage_transition
            WHERE at >= ?1 AND at < ?2 GROUP BY 1, 2, 3
            """;

    private static final String FUNNEL = """
            WITH u AS (
                SELECT t.user_id, max(CASE t.to_stage {ladder} END) AS top,
                       bool_or(t.to_stage = 'AT_RISK') AS at_risk, bool_or(t.to_stage = 'CHURNED') AS churned,
                       bool_or(t.to_stage = 'REACTIVATED') AS reactivated
                FROM analytics_stage_transition t JOIN analytics_acquisition a ON a.user_id = t.user_id
                WHERE a.acquired_at >= ?1 AND a.acquired_at < ?2
                GROUP BY t.user_id)
            SELECT top, count(*), count(*) FILTER (WHERE at_risk), count(*) FILTER (WHERE churned),
                   count(*) FILTER (WHERE reactivated)
            FROM u GROUP BY top
            """;

    public Uni<CohortMatrix> cohorts(Period period, CohortMatrix.Retention retention, Window window) {
        String sql = COHORTS.replace("{u}", period.sql()).replace("{k}", period == Period.WEEK ? WEEKS_AFTER : MONTHS_AFTER);
        return rows(sql, window.startTime(), window.endTime(), window.start(), window.end()).map(rows -> {
            CohortMatrix.Counts counts = new CohortMatrix.Counts();
            for (Object[] r : rows) {
                LocalDate cohort = date(r[1]);
                int k = number(r[2]).intValue();
                long n = number(r[3]).longValue();
                switch (number(r[0]).intValue()) {
                    case 0 -> counts.size(cohort, n);
                    case 1 -> counts.active(cohort, k, n);
                    case 2 -> counts.lastActive(cohort, k, n);
                    default -> counts.end(cohort);
                }
            }
            return CohortMatrix.build(period, retention, counts);
        });
    }

    public Uni<LifecycleSeries> lifecycle(Period period, Window window) {
        return rows(LIFECYCLE.replace("{u}", period.sql()), window.start(), window.end()).map(rows -> {
            LifecycleSeries.Counts counts = new LifecycleSeries.Counts();
            for (Object[] r : rows) {
                counts.add(date(r[0]), number(r[1]).longValue(), number(r[2]).longValue(), number(r[3]).longValue(),
                        number(r[4]).longValue());
            }
            return LifecycleSeries.build(period, counts);
        });
    }

    /** {@code period} null: the whole window as one period. */
    public Uni<TransitionMatrix> transitions(Period period, Window window) {
        String bucket = period == null ? "CAST(NULL AS date)"
                : "CAST(date_trunc('" + period.sql() + "', at AT TIME ZONE 'UTC') AS date)";
        return rows(TRANSITIONS.replace("{bucket}", bucket), window.startTime(), window.endTime()).map(rows -> {
            List<TransitionMatrix.Count> counts = new ArrayList<>();
            for (Object[] r : rows) {
                counts.add(new TransitionMatrix.Count(date(r[0]), r[1] == null ? null : Stage.valueOf((String) r[1]),
                        Stage.valueOf((String) r[2]), number(r[3]).longValue()));
            }
            return TransitionMatrix.build(period == null ? "all" : period.label(), counts);
        });
    }

    public Uni<Funnel> funnel(Window window) {
        StringBuilder ladder = new StringBuilder();
        for (int i = 0; i < Funnel.LADDER.size(); i++) {
            ladder.append("WHEN '").append(Funnel.LADDER.get(i).name()).append("' THEN ").append(i).append(' ');
        }
        return rows(FUNNEL.replace("{ladder}", ladder), window.startTime(), window.endTime()).map(rows -> {
            Map<Integer, Long> byTop = new TreeMap<>();
            long atRisk = 0;
            long churned = 0;
            long reactivated = 0;
            for (Object[] r : rows) {
                if (r[0] != null) {
                    byTop.merge(number(r[0]).intValue(), number(r[1]).longValue(), Long::sum);
                }
                atRisk += number(r[2]).longValue();
                churned += number(r[3]).longValue();
                reactivated += number(r[4]).longValue();
            }
            return Funnel.build(byTop, atRisk, churned, reactivated);
        });
    }

    private static Uni<List<Object[]>> rows(String sql, Object... parameters) {
        return Panache.withSession(() -> Panache.getSession().chain(s -> {
            var query = s.createNativeQuery(sql, Object[].class);
            for (int i = 0; i < parameters.length; i++) {
                query.setParameter(i + 1, parameters[i]);
            }
            return query.getResultList();
        }));
    }

    private static Number number(Object value) {
        return (Number) value;
    }

    private static LocalDate date(Object value) {
        if (value == null || value instanceof LocalDate) {
            return (LocalDate) value;
        }
        if (value instanceof java.sql.Date d) {
            return d.toLocalDate();
        }
        throw new IllegalStateException("Unexpected date value " + value.getClass());
    }
}
