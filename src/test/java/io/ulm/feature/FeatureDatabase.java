package io.ulm.feature;

import io.ulm.support.OwnDatabase;

/**
 * A database of its own, on the run's shared embedded PostgreSQL, for the data-set feature tests: the watermark
 * is the data set's own (the shared test database's clock is wherever other tests moved it), and MovieLens movie
 * ids do not meet Online Retail stock codes another test may have catalogued (14 ids are both).
 */
public class FeatureDatabase extends OwnDatabase {

    static final String NAME = "ulm_features_test";

    @Override
    protected String name() {
        return NAME;
    }
}
