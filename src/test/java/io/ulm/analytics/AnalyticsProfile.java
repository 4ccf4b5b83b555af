package io.ulm.analytics;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;

/** The analytics tests' application: the test configuration on a database of its own ({@link AnalyticsDatabase}). */
public class AnalyticsProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(AnalyticsDatabase.class));
    }

    /** The other tests' shared database (PostgresResource) must not be configured here as well. */
    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
