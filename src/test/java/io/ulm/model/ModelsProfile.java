package io.ulm.model;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.ulm.support.OwnDatabase;

import java.util.List;
import java.util.Map;

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

    /**
     * The sequential model's CI-sized training: two epochs, each validated, instead of up to 200 with early stopping
     * (the full run is a documented command, docs/sequential.md); quality is asserted on MovieLens in SasRecMovieLensTest.
     */
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("ulm.models.sequential.epochs", "2", "ulm.models.sequential.validate-every", "1");
    }

    /** The other tests' shared database (PostgresResource) must not be configured here as well. */
    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
