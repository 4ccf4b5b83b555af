package io.ulm.model;

import io.ulm.model.churn.Activity;
import io.ulm.model.churn.UserHistory;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The event log's activities as the churn models' per-user histories (acquired at her first activity). */
final class ChurnHistories {

    private ChurnHistories() {
    }

    static List<UserHistory> of(List<TrainingLog.Activity> log) {
        Map<String, List<Activity>> byUser = new LinkedHashMap<>();
        for (TrainingLog.Activity a : log) {
            byUser.computeIfAbsent(a.userId(), u -> new ArrayList<>()).add(activity(a));
        }
        List<UserHistory> histories = new ArrayList<>(byUser.size());
        byUser.forEach((user, activities) -> {
            activities.sort(Comparator.comparing(Activity::at));
            histories.add(new UserHistory(user, activities.get(0).at(), List.copyOf(activities)));
        });
        return histories;
    }

    static Activity activity(TrainingLog.Activity a) {
        BigDecimal revenue = a.revenue() == null ? BigDecimal.ZERO : a.revenue();
        return new Activity(a.at(), a.purchase(), a.refund(), revenue);
    }

    static Instant latest(List<TrainingLog.Activity> log) {
        return log.stream().map(TrainingLog.Activity::at).max(Comparator.naturalOrder()).orElseThrow(
                () -> new IllegalStateException("The event log holds no activity yet: nothing to learn from"));
    }
}
