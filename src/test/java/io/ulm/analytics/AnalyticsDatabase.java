package io.ulm.analytics;

import io.ulm.support.OwnDatabase;

/**
 * A database of its own, on the run's shared embedded PostgreSQL, for the analytics tests: the reports
 * count every user of the instance, so exact expectations need an instance that holds only the users the
 * tests put there (Online Retail and the hand-made scenario), and its own event-time clock.
 */
public class AnalyticsDatabase extends OwnDatabase {

    static final String NAME = "ulm_analytics_test";

    @Override
    protected String name() {
        return NAME;
    }
}
