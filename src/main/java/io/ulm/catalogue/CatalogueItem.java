package io.ulm.catalogue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ulm.catalogue.api.DefineItem;
import io.ulm.catalogue.api.ItemCatalogued;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;

import java.util.List;
import java.util.Objects;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One catalogue item, event-sourced (aggregate id {@code item:<itemId>}). It only remembers its current
 * definition, to drop definitions that change nothing: imports can be re-run without growing the log.
 */
public class CatalogueItem {

    @AggregateIdentifier
    private String id;
    private String title;
    private String description;
    private List<String> categories;
    private ObjectNode properties;

    protected CatalogueItem() {
        // for Axon
    }

    /** Returns whether the definition changed the item (false: identical to the current one, nothing recorded). */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public boolean handle(DefineItem command) {
        if (id != null && Objects.equals(title, command.title()) && Objects.equals(description, command.description())
                && Objects.equals(categories, command.categories()) && Objects.equals(properties, command.properties())) {
            return false;
        }
        apply(new ItemCatalogued(command.itemId(), command.title(), command.description(), command.categories(),
                command.properties(), command.at()));
        return true;
    }

    @EventSourcingHandler
    void on(ItemCatalogued e) {
        id = DefineItem.AGGREGATE_PREFIX + e.itemId();
        title = e.title();
        description = e.description();
        categories = e.categories() == null ? List.of() : List.copyOf(e.categories());
        properties = e.properties();
    }
}
