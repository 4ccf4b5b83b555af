package io.ulm.catalogue.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.List;

/**
 * Define (or redefine) one catalogue item. Already validated and normalised ({@code ItemDefinitions}):
 * categories trimmed and without duplicates, properties an object. A definition equal to the current one
 * records nothing, so re-running an import leaves the log unchanged.
 */
public record DefineItem(String itemId, String title, String description, List<String> categories,
                         ObjectNode properties, Instant at) {

    /** Item aggregates share the event store with user lifecycles: a prefix keeps "1" the movie apart from "1" the user. */
    public static final String AGGREGATE_PREFIX = "item:";

    public DefineItem {
        categories = List.copyOf(categories);
    }

    @TargetAggregateIdentifier
    public String aggregateId() {
        return AGGREGATE_PREFIX + itemId;
    }
}
