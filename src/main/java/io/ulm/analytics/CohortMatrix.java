package io.ulm.analytics;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Cohort retention: users grouped by the period they were acquired in (the cohort); cell {@code k} is how
 * many of them were active {@code k} periods later (k = 0 is the acquisition period itself).
 * <ul>
 * <li>recurring: active IN period k;</li>
 * <li>cumulative ("on or after", Amplitude's unbounded retention): active in period k OR ANY LATER period,
 *     i.e. the user's last active period is k or later. Never increases with k.</li>
 * </ul>
 * Rows run from the first to the last non-empty cohort (empty cohorts in between are kept, with 0 users and
 * null shares, so row i is always period i); each row has a cell for every period up to {@code end}, the
 * latest period with data.
 */
public record CohortMatrix(Period period, Retention retention, LocalDate end, List<Row> cohorts) {

    public enum Retention {
        RECURRING, CUMULATIVE;

        @com.fasterxml.jackson.annotation.JsonValue
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One cohort: its size, then per k the users retained and their share of the cohort (null if empty). */
    public record Row(LocalDate cohort, long users, List<Long> counts, List<Double> shares) {
    }

    /**
     * What the query aggregates: cohort sizes; per cohort and k, users active in period k; per cohort and k,
     * users whose LAST active period is k; and the latest period with any data (null when there is none).
     */
    public static final class Counts {
        final Map<LocalDate, Long> sizes = new TreeMap<>();
        final Map<LocalDate, Map<Integer, Long>> active = new TreeMap<>();
        final Map<LocalDate, Map<Integer, Long>> lastActive = new TreeMap<>();
        LocalDate end;

        public Counts size(LocalDate cohort, long users) {
            sizes.merge(cohort, users, Long::sum);
            return this;
        }

        public Counts active(LocalDate cohort, int k, long users) {
            active.computeIfAbsent(cohort, c -> new TreeMap<>()).merge(k, users, Long::sum);
            return this;
        }

        public Counts lastActive(LocalDate cohort, int k, long users) {
            lastActive.computeIfAbsent(cohort, c -> new TreeMap<>()).merge(k, users, Long::sum);
            return this;
        }

        public Counts end(LocalDate latest) {
            end = end == null || (latest != null && latest.isAfter(end)) ? latest : end;
            return this;
        }
    }

    public static CohortMatrix build(Period period, Retention retention, Counts counts) {
        List<Row> rows = new ArrayList<>();
        List<LocalDate> nonEmpty = counts.sizes.entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey).toList();
        if (nonEmpty.isEmpty()) {
            return new CohortMatrix(period, retention, counts.end, rows);
        }
        LocalDate last = nonEmpty.get(nonEmpty.size() - 1);
        // the end is at least the last cohort: a user acquired by an identify alone still has her k = 0 cell
        LocalDate end = counts.end == null || counts.end.isBefore(last) ? last : period.start(counts.end);
        for (LocalDate cohort = nonEmpty.get(0); !cohort.isAfter(last); cohort = period.plus(cohort, 1)) {
            long users = counts.sizes.getOrDefault(cohort, 0L);
            int columns = (int) period.between(cohort, end) + 1;
            long[] cells = new long[columns];
            if (retention == Retention.RECURRING) {
                counts.active.getOrDefault(cohort, Map.of()).forEach((k, n) -> add(cells, k, n));
            } else {
                counts.lastActive.getOrDefault(cohort, Map.of()).forEach((k, n) -> add(cells, k, n));
                for (int k = columns - 2; k >= 0; k--) {
                    cells[k] += cells[k + 1]; // on or after k: last active period at k or later
                }
            }
            List<Long> retained = new ArrayList<>(columns);
            List<Double> shares = new ArrayList<>(columns);
            for (long n : cells) {
                retained.add(n);
                shares.add(Ratio.of(n, users));
            }
            rows.add(new Row(cohort, users, retained, shares));
        }
        return new CohortMatrix(period, retention, end, rows);
    }

    /** Activity before the acquisition period (k < 0, a late message) or after the end is not reported. */
    private static void add(long[] cells, int k, long n) {
        if (k >= 0 && k < cells.length) {
            cells[k] += n;
        }
    }
}
