package io.ulm.lifecycle;

import io.ulm.lifecycle.api.StageChanged;
import io.ulm.lifecycle.api.UserErased;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The aggregate after erasure: UserErased once, then nothing recorded, decided, raised or erased again. */
class UserErasureTest {

    @Test
    void afterUserErasedTheAggregateEmitsNothing() {
        Object[] commands = ContractScenarios.erased();
        List<Object> all = LifecycleFixture.run(commands);
        List<Object> beforeErasure = LifecycleFixture.run(commands[0]);
        assertThat(all.stream().filter(UserErased.class::isInstance).toList()).singleElement()
                .satisfies(e -> assertThat(((UserErased) e).pseudonym()).startsWith("erased:"));
        assertThat(all).as("everything after the erasure emitted nothing").hasSize(beforeErasure.size() + 1);
        assertThat(all.get(all.size() - 1)).isInstanceOf(UserErased.class);
        assertThat(LifecycleFixture.stages(beforeErasure)).extracting(StageChanged::to).isNotEmpty();
    }

    @Test
    void withoutTheErasureTheSameCommandsWouldHaveEmittedEvents() {
        Object[] commands = ContractScenarios.erased();
        List<Object> withoutErasure = LifecycleFixture.run(commands[0], commands[2], commands[3], commands[4]);
        assertThat(withoutErasure.size()).isGreaterThan(LifecycleFixture.run(commands[0]).size() + 1);
    }
}
