package io.ulm.model.churn;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** A user's activities, kept sorted by time (stable, so equal times keep their log order). */
public record UserHistory(String userId, Instant acquiredAt, List<Activity> activities) {

    public UserHistory {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(acquiredAt, "acquiredAt");
        activities = activities.stream().sorted(Comparator.comparing(Activity::at)).toList();
    }

    /** The part of the history strictly before {@code cutoff}: the only view the feature code may see. */
    public UserHistory before(Instant cutoff) {
        return new UserHistory(userId, acquiredAt, activities.stream().filter(a -> a.at().isBefore(cutoff)).toList());
    }

    /** Whether she did anything in [from, to). */
    public boolean activeIn(Instant from, Instant to) {
        return activities.stream().anyMatch(a -> !a.at().isBefore(from) && a.at().isBefore(to));
    }

    public boolean hasActivityBefore(Instant cutoff) {
        return !activities.isEmpty() && activities.get(0).at().isBefore(cutoff);
    }
}
