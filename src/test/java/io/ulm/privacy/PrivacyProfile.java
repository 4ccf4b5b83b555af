package io.ulm.privacy;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.ulm.support.OwnDatabase;

import java.util.List;
import java.util.Map;

/**
 * The privacy and dashboard tests' application: a database of their own holding a small simulated shop
 * ({@link SimulatedShop}) and the users the erasure tests add, with no scheduled segment evaluation (evaluated on demand)
 * and a churn horizon of three weeks (the shop's history is short).
 */
public class PrivacyProfile implements QuarkusTestProfile {

    /** Its database. */
    public static class Database extends OwnDatabase {
        @Override
        protected String name() {
            return "ulm_privacy_test";
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("ulm.segments.every", "off", "ulm.models.churn.horizon", "P21D");
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
