package io.ulm.analytics;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * PostHog's lifecycle series. For each period, every user active in it is exactly one of
 * <ul>
 * <li>new: acquired in this period (by her acquisition time, not her first activity in the window);</li>
 * <li>returning: not new, and active in the previous period too;</li>
 * <li>resurrecting: not new, and not active in the previous period (this includes a user acquired
 *     without activity, e.g. by an identify, in her first active period — as in PostHog);</li>
 * </ul>
 * and dormant counts the users active in the previous period but not in this one, reported as a negative
 * number (PostHog plots it below the axis). new + returning + resurrecting = active users of the period.
 * The series runs from the first period with any count to the last period with an active user; periods
 * without anybody in between are present with zeros.
 */
public record LifecycleSeries(Period period, List<Point> series) {

    @JsonPropertyOrder({"period", "new", "returning", "resurrecting", "dormant", "active"})
    public record Point(LocalDate period, @JsonProperty("new") long newUsers, long returning, long resurrecting, long dormant) {
        @JsonProperty("active")
        public long active() {
            return newUsers + returning + resurrecting;
        }
    }

    /** What the query counts per period: new, returning, resurrecting, dormant (as a positive count). */
    public static final class Counts {
        final Map<LocalDate, long[]> byPeriod = new TreeMap<>();

        public Counts add(LocalDate period, long newUsers, long returning, long resurrecting, long dormant) {
            long[] c = byPeriod.computeIfAbsent(period, p -> new long[4]);
            c[0] += newUsers;
            c[1] += returning;
            c[2] += resurrecting;
            c[3] += dormant;
            return this;
        }
    }

    public static LifecycleSeries build(Period period, Counts counts) {
        LocalDate first = null;
        LocalDate lastActive = null;
        for (Map.Entry<LocalDate, long[]> e : counts.byPeriod.entrySet()) {
            long[] c = e.getValue();
            if (first == null && (c[0] + c[1] + c[2] + c[3]) > 0) {
                first = e.getKey();
            }
            if (c[0] + c[1] + c[2] > 0) {
                lastActive = e.getKey();
            }
        }
        List<Point> points = new ArrayList<>();
        if (lastActive == null) {
            return new LifecycleSeries(period, points);
        }
        // dormancy after the last active period is not reported: the data ends there, not the users
        for (LocalDate p = period.start(first); !p.isAfter(lastActive); p = period.plus(p, 1)) {
            long[] c = counts.byPeriod.getOrDefault(p, new long[4]);
            points.add(new Point(p, c[0], c[1], c[2], -c[3]));
        }
        return new LifecycleSeries(period, points);
    }
}
