package io.ulm.analytics;

import io.ulm.lifecycle.Stage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The stage funnel. Ladder steps count the users who EVER reached the stage or a higher ladder stage: the
 * rules let a user jump (a first message that is a purchase gives ACQUIRED then MONETIZED), and such a user
 * has passed ACTIVATED and ENGAGED on her way, so she counts for them too. Then the users ever AT_RISK,
 * ever CHURNED and ever REACTIVATED, each with its conversion from the step it follows (AT_RISK from
 * ACQUIRED, CHURNED and REACTIVATED from AT_RISK: both only happen to users who were at risk).
 * REACTIVATED is not a ladder stage here, although the rules rank it beside ACTIVATED.
 */
public record Funnel(long users, List<Step> steps) {

    /** The value ladder in order; a user's "top" is the index of the highest one she ever reached. */
    public static final List<Stage> LADDER = List.of(Stage.ACQUIRED, Stage.ACTIVATED, Stage.ENGAGED, Stage.MONETIZED, Stage.LOYAL);

    /** {@code previous}: the step {@code conversion} is relative to; {@code share}: of all acquired users. */
    public record Step(Stage stage, long users, Stage previous, Double conversion, Double share) {
    }

    /**
     * @param usersByTop  users per highest ladder index reached (0 = ACQUIRED … 4 = LOYAL)
     * @param atRisk      users ever AT_RISK
     * @param churned     users ever CHURNED
     * @param reactivated users ever REACTIVATED
     */
    public static Funnel build(Map<Integer, Long> usersByTop, long atRisk, long churned, long reactivated) {
        long[] reached = new long[LADDER.size()];
        usersByTop.forEach((top, n) -> {
            for (int i = 0; i <= Math.min(top, reached.length - 1); i++) {
                reached[i] += n;
            }
        });
        long acquired = reached[0];
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < LADDER.size(); i++) {
            Stage previous = i == 0 ? null : LADDER.get(i - 1);
            Double conversion = i == 0 ? null : Ratio.of(reached[i], reached[i - 1]);
            steps.add(new Step(LADDER.get(i), reached[i], previous, conversion, Ratio.of(reached[i], acquired)));
        }
        steps.add(new Step(Stage.AT_RISK, atRisk, Stage.ACQUIRED, Ratio.of(atRisk, acquired), Ratio.of(atRisk, acquired)));
        steps.add(new Step(Stage.CHURNED, churned, Stage.AT_RISK, Ratio.of(churned, atRisk), Ratio.of(churned, acquired)));
        steps.add(new Step(Stage.REACTIVATED, reactivated, Stage.AT_RISK, Ratio.of(reactivated, atRisk), Ratio.of(reactivated, acquired)));
        return new Funnel(acquired, steps);
    }
}
