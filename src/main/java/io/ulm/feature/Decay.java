package io.ulm.feature;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Exponentially decayed sums kept as (weight, asOf) pairs: {@code weight} is the sum at instant {@code asOf}
 * of every contribution x_i made at t_i, each worth x_i * 2^(-(asOf - t_i) / h). Adding in event order is
 * exact for late contributions too (they are decayed to asOf instead of moving it back). StrictMath keeps
 * every replay, node and JIT tier bit-for-bit identical.
 */
public final class Decay {

    /** A decayed sum: its value at {@code asOf}, and how many contributions it holds. */
    public record Point(double weight, Instant asOf, long events) {
        public static final Point EMPTY = new Point(0, null, 0);
    }

    private Decay() {
    }

    /** The sum after adding {@code x} at {@code t}. */
    public static Point add(Point p, double x, Instant t, Duration halfLife) {
        if (p.asOf() == null) {
            return new Point(x, t, p.events() + 1);
        }
        if (!t.isBefore(p.asOf())) {
            return new Point(p.weight() * factor(p.asOf(), t, halfLife) + x, t, p.events() + 1);
        }
        // older than the sum: decay the contribution to the sum's instant, which stays where it is
        return new Point(p.weight() + x * factor(t, p.asOf(), halfLife), p.asOf(), p.events() + 1);
    }

    /**
     * The sum's value at {@code at}. Contributions after {@code at} (possible only when the read model holds
     * events beyond the watermark) count with their own weight: a sum never grows by looking back.
     */
    public static double valueAt(Point p, Instant at, Duration halfLife) {
        if (p.asOf() == null) {
            return 0;
        }
        return at.isAfter(p.asOf()) ? p.weight() * factor(p.asOf(), at, halfLife) : p.weight();
    }

    /** 2^(-(to - from) / h), for from <= to; computed in microseconds (the database's resolution). */
    static double factor(Instant from, Instant to, Duration halfLife) {
        double elapsed = ChronoUnit.MICROS.between(from, to);
        double h = halfLife.toNanos() / 1_000d;
        return StrictMath.pow(2.0, -elapsed / h);
    }
}
