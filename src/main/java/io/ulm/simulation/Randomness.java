package io.ulm.simulation;

import org.apache.commons.math3.random.AbstractRandomGenerator;

import java.util.SplittableRandom;

/**
 * Commons Math's {@code RandomGenerator} over a {@link SplittableRandom} (two longs of state, so one per live user is
 * affordable, unlike a Mersenne Twister's 2.5 KB). Every user has independent streams keyed by (seed, user, purpose),
 * so what a user does never depends on the order in which users are generated, nor on treatments for natural
 * behaviour (the treatment stream is separate: common random numbers make "caused by the treatment" well defined).
 */
final class Randomness extends AbstractRandomGenerator {

    /** Purposes of a user's streams: her drawn profile, her natural behaviour, her responses to treatments. */
    enum Stream { PROFILE, BEHAVIOUR, TREATMENT, CATALOGUE }

    private SplittableRandom random;

    private Randomness(long seed) {
        this.random = new SplittableRandom(seed);
    }

    static Randomness of(long seed, long user, Stream stream) {
        return new Randomness(mix(mix(mix(seed) ^ user) ^ (stream.ordinal() + 1L)));
    }

    @Override
    public void setSeed(long seed) {
        random = new SplittableRandom(seed);
    }

    @Override
    public double nextDouble() {
        return random.nextDouble();
    }

    /** Exponential waiting time with the given rate (per unit of the caller's time). */
    double exponential(double rate) {
        return -Math.log(1 - random.nextDouble()) / rate;
    }

    /** SplitMix64's finaliser: nearby inputs (user 1, user 2) give unrelated seeds. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
