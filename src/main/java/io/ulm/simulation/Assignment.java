package io.ulm.simulation;

/**
 * A deterministic randomised assignment of users to the settings' arms or the holdout (share
 * {@code holdoutShare}, the rest split evenly over the arms), for treatment sources that do not assign themselves.
 * Keyed by (seed, user index) so it is independent of who else is treated and of the order of decisions.
 */
public final class Assignment {

    private static final long SALT = 0x5eedL;

    private Assignment() {
    }

    public static String arm(SimulationSettings settings, int userIndex) {
        double u = Randomness.of(settings.seed() ^ SALT, userIndex, Randomness.Stream.TREATMENT).nextDouble();
        if (u < settings.winback().holdoutShare()) {
            return Treatment.HOLDOUT;
        }
        double rest = (u - settings.winback().holdoutShare()) / (1 - settings.winback().holdoutShare());
        int arms = settings.winback().arms().size();
        return settings.winback().arms().get(Math.min(arms - 1, (int) (rest * arms))).name();
    }
}
