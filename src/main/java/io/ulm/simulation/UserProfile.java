package io.ulm.simulation;

import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.GammaDistribution;

import java.util.List;

/**
 * What the simulator draws for a user before she does anything, from her own PROFILE stream only, so it can be drawn
 * again at any time (the truth is written from it at the end without keeping profiles in memory).
 *
 * @param acquiredAtMillis stratified uniform: user i at start + (i + U)·A/N, so users arrive in index order
 * @param lambda           purchases per day while alive, ~ Gamma(r, rate α)
 * @param dropout          p, P(leaving for good after a repeat purchase), ~ Beta(a, b)
 * @param spendRate        ν of the Gamma-Gamma story, ~ Gamma(q, rate γ); her mean order value is p_spend / ν
 * @param mixture          her category mixture θ ~ Dirichlet(c, …, c)
 */
record UserProfile(int index, String userId, long acquiredAtMillis, int channel, boolean activated, double lambda,
                   double dropout, double spendRate, double[] mixture, String country, String device,
                   String ageBand, String plan) {

    static UserProfile draw(SimulationSettings s, int index) {
        Randomness rng = Randomness.of(s.seed(), index, Randomness.Stream.PROFILE);
        double acquisitionMillis = s.acquisitionDays() * 86_400_000.0;
        long acquiredAt = s.start().toEpochMilli() + (long) ((index + rng.nextDouble()) * acquisitionMillis / s.users());
        int channel = channel(s, rng.nextDouble());
        boolean activated = rng.nextDouble() < s.channels().get(channel).activationProbability();
        double lambda = new GammaDistribution(rng, s.purchases().r(), 1 / s.purchases().alpha()).sample();
        double dropout = new BetaDistribution(rng, s.purchases().a(), s.purchases().b()).sample();
        double spendRate = new GammaDistribution(rng, s.spend().q(), 1 / s.spend().gamma()).sample();
        double[] mixture = dirichlet(rng, s.catalogue().categories().size(), s.catalogue().concentration());
        SimulationSettings.TraitSettings t = s.traits();
        return new UserProfile(index, s.idPrefix() + "-" + index, acquiredAt, channel, activated, lambda, dropout,
                spendRate, mixture, pick(t.countries(), rng), pick(t.devices(), rng), pick(t.ageBands(), rng),
                pick(t.plans(), rng));
    }

    /** Mean order value p/ν: what Gamma-Gamma's m_x estimates for her. */
    double meanOrderValue(SimulationSettings s) {
        return s.spend().p() / spendRate;
    }

    /** Cumulative mixture, for sampling a category by inversion. */
    double[] cumulativeMixture() {
        double[] c = mixture.clone();
        for (int k = 1; k < c.length; k++) {
            c[k] += c[k - 1];
        }
        return c;
    }

    private static int channel(SimulationSettings s, double u) {
        double total = s.channels().stream().mapToDouble(SimulationSettings.Channel::weight).sum();
        double sum = 0;
        for (int c = 0; c < s.channels().size(); c++) {
            sum += s.channels().get(c).weight() / total;
            if (u < sum) {
                return c;
            }
        }
        return s.channels().size() - 1;
    }

    /** Dirichlet by normalised gammas; a draw whose gammas all underflow (tiny c) falls back to one category. */
    private static double[] dirichlet(Randomness rng, int k, double concentration) {
        GammaDistribution gamma = new GammaDistribution(rng, concentration, 1);
        double[] x = new double[k];
        double sum = 0;
        for (int i = 0; i < k; i++) {
            x[i] = gamma.sample();
            sum += x[i];
        }
        if (!(sum > 0)) {
            x[rng.nextInt(k)] = sum = 1;
        }
        for (int i = 0; i < k; i++) {
            x[i] /= sum;
        }
        return x;
    }

    private static String pick(List<String> values, Randomness rng) {
        return values.get(rng.nextInt(values.size()));
    }
}
