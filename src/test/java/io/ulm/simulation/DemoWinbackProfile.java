package io.ulm.simulation;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.ulm.support.OwnDatabase;

import java.util.List;
import java.util.Map;

/** A database of its own (a simulated shop's clock, from 2024) with a strong true win-back effect for the demo test. */
public class DemoWinbackProfile implements QuarkusTestProfile {

    public static class Database extends OwnDatabase {
        @Override
        protected String name() {
            return "ulm_demo_winback_test";
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("ulm.simulation.demo.winback-effect", "0.4", "ulm.simulation.demo.winback-effects.reminder-only", "0.2",
                "ulm.segments.every", "off");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Database.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
