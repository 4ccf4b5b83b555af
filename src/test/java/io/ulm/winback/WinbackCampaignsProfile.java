package io.ulm.winback;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The shared database with the test campaigns of {@code src/test/resources/winback-test} live instead of the shipped
 * one, tried in this order: {@code results-test} (AT_RISK, CLV ≥ 5000: WinbackResultsTest's users only), {@code vip-test}
 * (AT_RISK, CLV ≥ 40), {@code second-test} (AT_RISK or churn risk, any CLV).
 */
public class WinbackCampaignsProfile implements QuarkusTestProfile {

    static final String DIRECTORY = "src/test/resources/winback-test";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("ulm.winback.policies", DIRECTORY);
    }
}
