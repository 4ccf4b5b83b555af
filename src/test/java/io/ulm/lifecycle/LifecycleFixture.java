package io.ulm.lifecycle;

import io.ulm.lifecycle.api.StageChanged;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.ResultValidator;
import org.hamcrest.BaseMatcher;
import org.hamcrest.Description;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs commands against a fresh {@link UserLifecycle} through Axon's aggregate fixture and returns
 * every event it published, so tests can assert on whole transition sequences.
 */
final class LifecycleFixture {

    private LifecycleFixture() {
    }

    /** Runs all commands in order and returns the events of all of them. */
    static List<Object> run(Object... commands) {
        AggregateTestFixture<UserLifecycle> fixture = new AggregateTestFixture<>(UserLifecycle.class);
        fixture.registerInjectableResource(Messages.RULES);
        List<Object> events = new ArrayList<>();
        List<Object> given = new ArrayList<>();
        for (Object command : commands) {
            ResultValidator<UserLifecycle> result = given.isEmpty()
                    ? fixture.givenNoPriorActivity().when(command)
                    : fixture.givenCommands(given).when(command);
            result.expectSuccessfulHandlerExecution().expectEventsMatching(new Capture(events));
            given.add(command);
        }
        return events;
    }

    static List<StageChanged> stages(List<Object> events) {
        return events.stream().filter(StageChanged.class::isInstance).map(StageChanged.class::cast).toList();
    }

    static List<StageChanged> stagesOf(Object... commands) {
        return stages(run(commands));
    }

    /** A matcher that accepts anything and keeps the payloads it saw. */
    private static final class Capture extends BaseMatcher<List<EventMessage<?>>> {
        private final List<Object> sink;

        Capture(List<Object> sink) {
            this.sink = sink;
        }

        @Override
        public boolean matches(Object actual) {
            for (Object message : (List<?>) actual) {
                sink.add(((EventMessage<?>) message).getPayload());
            }
            return true;
        }

        @Override
        public void describeTo(Description description) {
            description.appendText("any events (captured)");
        }
    }
}
