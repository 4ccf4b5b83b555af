package io.ulm.feature;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;

/** The data-set feature tests' application: the test configuration on a database of its own ({@link FeatureDatabase}). */
public class FeatureDataProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FeatureDatabase.class));
    }

    /** The other tests' shared database (PostgresResource) must not be configured here as well. */
    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
