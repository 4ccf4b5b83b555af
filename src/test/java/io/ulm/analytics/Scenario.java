package io.ulm.analytics;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Hand-made users shared by the pure tests and the API test, chosen for the edges: a purchase at Sunday
 * 23:59:59 UTC and activity at Monday 00:00:00 UTC (different weeks, same month), users acquired by an
 * identify (one active only later, one never in the reported range), a week with nobody active, and
 * activity after the reported range. The expected figures below are worked out by hand in docs/analytics.md.
 */
final class Scenario {

    record Message(String type, String event, Instant at) {
    }

    record User(String id, List<Message> messages) {
        Instant acquired() {
            return messages.stream().map(Message::at).min(Instant::compareTo).orElseThrow();
        }

        List<Instant> activity() {
            return messages.stream().filter(m -> m.type().equals("track")).map(Message::at).toList();
        }
    }

    static final String PREFIX = "an-";
    static final LocalDate FROM = LocalDate.parse("2009-02-01");
    static final LocalDate TO = LocalDate.parse("2009-05-01");

    static final List<User> USERS = List.of(
            user("a", track("Order Completed", "2009-03-01T23:59:59Z"), track("Product Viewed", "2009-03-02T00:00:00Z"),
                    track("Product Viewed", "2009-03-16T10:00:00Z")),
            user("b", track("Product Viewed", "2009-03-02T00:00:00Z"), track("Product Viewed", "2009-03-02T01:00:00Z"),
                    track("Product Viewed", "2009-03-02T02:00:00Z")),
            user("c", identify("2009-03-03T12:00:00Z"), track("Product Viewed", "2009-03-18T12:00:00Z")),
            user("d", track("Product Viewed", "2009-03-04T12:00:00Z"), track("Product Viewed", "2009-03-10T12:00:00Z"),
                    track("Product Viewed", "2009-03-12T12:00:00Z"), track("Product Viewed", "2009-03-24T12:00:00Z"),
                    track("Product Viewed", "2009-04-07T12:00:00Z")),
            user("e", identify("2009-03-05T12:00:00Z"), track("Product Viewed", "2009-05-20T12:00:00Z")));

    /** Weekly cohorts (weeks of 2009-02-23 and 2009-03-02), cells up to the week of 2009-04-06. */
    static final long[][] WEEKLY_RECURRING = {{1, 1, 0, 1, 0, 0, 0}, {2, 1, 1, 1, 0, 1}};
    static final long[][] WEEKLY_CUMULATIVE = {{1, 1, 1, 1, 0, 0, 0}, {3, 2, 2, 1, 1, 1}};
    static final long[] WEEKLY_SIZES = {1, 4};
    /** One monthly cohort (March 2009: all five users), cells for March and April. */
    static final long[][] MONTHLY_RECURRING = {{4, 1}};
    static final long[][] MONTHLY_CUMULATIVE = {{4, 1}};
    /** new, returning, resurrecting, dormant per week from 2009-02-23 to 2009-04-06. */
    static final long[][] WEEKLY_LIFECYCLE = {
            {1, 0, 0, 0}, {2, 1, 0, 0}, {0, 1, 0, -2}, {0, 0, 2, -1}, {0, 0, 1, -2}, {0, 0, 0, -1}, {0, 0, 1, 0}};
    static final long[][] MONTHLY_LIFECYCLE = {{4, 0, 0, 0}, {0, 1, 0, -3}};

    private Scenario() {
    }

    private static User user(String id, Message... messages) {
        return new User(PREFIX + id, List.of(messages));
    }

    private static Message track(String event, String at) {
        return new Message("track", event, Instant.parse(at));
    }

    private static Message identify(String at) {
        return new Message("identify", null, Instant.parse(at));
    }

    // --- a per-user reference of what the SQL aggregates, for the pure tests -------------------------

    /** Per user: acquisition period and the set of active periods from it on, inside the window. */
    private static Map<String, TreeSet<LocalDate>> activePeriods(Period period, Window window) {
        Map<String, TreeSet<LocalDate>> active = new TreeMap<>();
        for (User u : USERS) {
            LocalDate acquired = period.start(u.acquired());
            TreeSet<LocalDate> periods = new TreeSet<>();
            for (Instant at : u.activity()) {
                LocalDate p = period.start(at);
                if (!p.isBefore(acquired) && AnalyticsBatch.utcDay(at).isBefore(window.end())) {
                    periods.add(p);
                }
            }
            active.put(u.id(), periods);
        }
        return active;
    }

    static CohortMatrix.Counts cohortCounts(Period period, Window window) {
        CohortMatrix.Counts counts = new CohortMatrix.Counts();
        Map<String, TreeSet<LocalDate>> active = activePeriods(period, window);
        for (User u : USERS) {
            LocalDate cohort = period.start(u.acquired());
            if (cohort.isBefore(window.start()) || !cohort.isBefore(window.end())) {
                continue;
            }
            counts.size(cohort, 1).end(AnalyticsBatch.utcDay(u.acquired()));
            for (LocalDate p : active.get(u.id())) {
                counts.active(cohort, (int) period.between(cohort, p), 1).end(p);
            }
            if (!active.get(u.id()).isEmpty()) {
                counts.lastActive(cohort, (int) period.between(cohort, active.get(u.id()).last()), 1);
            }
        }
        return counts;
    }

    static LifecycleSeries.Counts lifecycleCounts(Period period, Window window) {
        LifecycleSeries.Counts counts = new LifecycleSeries.Counts();
        Map<String, TreeSet<LocalDate>> active = activePeriods(period, window);
        for (User u : USERS) {
            LocalDate acquired = period.start(u.acquired());
            TreeSet<LocalDate> periods = active.get(u.id());
            for (LocalDate p : periods) {
                LocalDate before = period.plus(p, -1);
                LocalDate after = period.plus(p, 1);
                if (!p.isBefore(window.start())) {
                    boolean isNew = p.equals(acquired);
                    boolean returning = !isNew && periods.contains(before);
                    counts.add(p, isNew ? 1 : 0, returning ? 1 : 0, !isNew && !returning ? 1 : 0, 0);
                }
                if (!periods.contains(after) && !after.isBefore(window.start()) && after.isBefore(window.end())) {
                    counts.add(after, 0, 0, 0, 1);
                }
            }
        }
        return counts;
    }

    static List<Long> list(long[] values) {
        List<Long> list = new ArrayList<>();
        for (long v : values) {
            list.add(v);
        }
        return list;
    }
}
