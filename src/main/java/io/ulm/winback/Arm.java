package io.ulm.winback;

import java.time.Duration;
import java.util.List;

/** A treatment arm: its id, relative weight among the arms (the holdout share is taken first) and its steps. */
public record Arm(String id, double weight, List<Step> steps) {

    public Arm {
        steps = List.copyOf(steps);
    }

    /** The sum of the arm's waits: the last step ends this long after entry. */
    public Duration duration() {
        return steps.stream().filter(s -> s instanceof Step.Wait).map(s -> ((Step.Wait) s).duration())
                .reduce(Duration.ZERO, Duration::plus);
    }
}
