package io.ulm.lifecycle;

import io.ulm.lifecycle.api.ChurnRiskRaised;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The aggregate raises churn risk once per episode: a repeated scoring is a no-op, a comeback opens a new episode. */
class ChurnRiskEpisodesTest {

    @Test
    void raisedOnceThenAgainOnlyAfterSheCameBack() {
        ContractScenarios.Scenario scenario = ContractScenarios.all().stream()
                .filter(s -> s.name().startsWith("churn risk")).findFirst().orElseThrow();
        assertThat(scenario.events().stream().filter(ChurnRiskRaised.class::isInstance).map(e -> ((ChurnRiskRaised) e).score()))
                .as("0.81 raised, 0.90 a repeat (nothing), 0.75 after the comeback raised again").containsExactly(0.81, 0.75);
    }
}
