package io.ulm.analytics;

import io.ulm.lifecycle.Stage;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Markov view of the lifecycle: per period, how many stage transitions went from each stage to each
 * other, and the estimated transition probability P(to | from) = count(from → to) / transitions out of
 * {@code from} in that period. {@code from} null is the acquisition (a user's first stage). Probabilities
 * are over transitions that happened, not over users who stayed put: a user who did not change stage in a
 * period contributes nothing to it.
 */
public record TransitionMatrix(String period, List<Group> periods) {

    /** The transitions of one period (start date; null when the whole history is one period). */
    public record Group(LocalDate start, long transitions, List<Cell> cells) {
    }

    public record Cell(Stage from, Stage to, long count, long outOf, Double probability) {
    }

    /** One aggregated row of the query. */
    public record Count(LocalDate period, Stage from, Stage to, long count) {
    }

    private static final Comparator<Stage> STAGES = Comparator.nullsFirst(Comparator.naturalOrder());

    public static TransitionMatrix build(String periodName, List<Count> counts) {
        Map<LocalDate, List<Count>> byPeriod = new TreeMap<>(Comparator.nullsFirst(Comparator.naturalOrder()));
        for (Count c : counts) {
            byPeriod.computeIfAbsent(c.period(), p -> new ArrayList<>()).add(c);
        }
        List<Group> groups = new ArrayList<>();
        byPeriod.forEach((start, rows) -> {
            Map<Stage, Long> out = new HashMap<>();
            long total = 0;
            for (Count c : rows) {
                out.merge(c.from(), c.count(), Long::sum);
                total += c.count();
            }
            List<Cell> cells = new ArrayList<>();
            rows.stream()
                    .sorted(Comparator.comparing(Count::from, STAGES).thenComparing(Count::to, STAGES))
                    .forEach(c -> {
                        long outOf = out.get(c.from());
                        cells.add(new Cell(c.from(), c.to(), c.count(), outOf, Ratio.of(c.count(), outOf)));
                    });
            groups.add(new Group(start, total, cells));
        });
        return new TransitionMatrix(periodName, groups);
    }
}
