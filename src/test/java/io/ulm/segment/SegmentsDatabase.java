package io.ulm.segment;

import io.ulm.support.OwnDatabase;

/**
 * A database of its own, on the run's embedded PostgreSQL, for the segment tests: RFM quintiles rank every
 * buyer of the instance, so an exact comparison with the raw file needs an instance holding Online Retail
 * only, with its own event-time clock (the shared test database has other users and a clock at "now").
 */
public class SegmentsDatabase extends OwnDatabase {

    static final String NAME = "ulm_segments_test";

    @Override
    protected String name() {
        return NAME;
    }
}
