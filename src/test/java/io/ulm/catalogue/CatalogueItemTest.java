package io.ulm.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ulm.catalogue.api.DefineItem;
import io.ulm.catalogue.api.ItemCatalogued;
import io.ulm.ingest.EventContract;
import io.ulm.platform.Json;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The item aggregate through Axon's fixture: definitions become events, identical ones nothing, and events meet their schema. */
class CatalogueItemTest {

    static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");

    private final AggregateTestFixture<CatalogueItem> fixture = new AggregateTestFixture<>(CatalogueItem.class);

    static DefineItem define(String title, List<String> categories) {
        ObjectNode properties = Json.mapper().createObjectNode().put("price", 2.55);
        return new DefineItem("85123A", title, null, categories, properties, AT);
    }

    static ItemCatalogued catalogued(DefineItem c) {
        return new ItemCatalogued(c.itemId(), c.title(), c.description(), c.categories(), c.properties(), c.at());
    }

    @Test
    void aNewItemIsCatalogued() {
        DefineItem command = define("Heart holder", List.of("lighting"));
        fixture.givenNoPriorActivity().when(command).expectSuccessfulHandlerExecution().expectResultMessagePayload(true)
                .expectEvents(catalogued(command));
        assertThat(command.aggregateId()).isEqualTo("item:85123A");
    }

    @Test
    void anIdenticalDefinitionRecordsNothingAndAChangedOneReplacesIt() {
        DefineItem first = define("Heart holder", List.of("lighting"));
        fixture.givenCommands(first).when(define("Heart holder", List.of("lighting")))
                .expectSuccessfulHandlerExecution().expectResultMessagePayload(false).expectNoEvents();
        DefineItem changed = define("Heart holder", List.of("lighting", "home-decor"));
        fixture.givenCommands(first).when(changed).expectResultMessagePayload(true).expectEvents(catalogued(changed));
    }

    @Test
    void theEventMeetsItsSchema() {
        ItemCatalogued event = catalogued(define("Heart holder", List.of("lighting")));
        JsonNode json = Json.mapper().valueToTree(event);
        assertThat(EventContract.validate("domain/ItemCatalogued.schema.json", json)).as(json.toString()).isEmpty();
        JsonNode none = Json.mapper().valueToTree(catalogued(new DefineItem("1", null, null, List.of(),
                Json.mapper().createObjectNode(), AT)));
        assertThat(EventContract.validate("domain/ItemCatalogued.schema.json", none)).as(none.toString()).isEmpty();
        ((ObjectNode) json).put("itemId", "a/b");
        assertThat(EventContract.validate("domain/ItemCatalogued.schema.json", json)).extracting(EventContract.Violation::pointer)
                .contains("/itemId");
    }
}
