package io.ulm.model;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.ulm.support.OwnDatabase;

import java.util.List;

/** The model tests' application: the test configuration on a database holding Online Retail only. */
public class ModelsProfile implements QuarkusTestProfile {

    /** Its database. */
    public static class Database extends OwnDatabase {
        @Override
        protected String name() {
            return "ulm_models_test";
        }
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Database.class));
    }

    /** The other tests' shared database (PostgresResource) must not be configured here as well. */
    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
