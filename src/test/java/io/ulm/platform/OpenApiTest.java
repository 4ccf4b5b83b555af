package io.ulm.platform;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.ulm.support.PostgresResource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every public endpoint is in the OpenAPI document, with a summary and an example. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class OpenApiTest {

    @Test
    void everyEndpointIsDocumentedWithAnExample() throws Exception {
        String text = RestAssured.given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().asString();
        JsonNode paths = Json.mapper().readTree(text).path("paths");
        List<String> operations = new ArrayList<>();
        paths.fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            operations.add(op.getKey().toUpperCase() + " " + path.getKey());
            assertThat(op.getValue().path("summary").asText()).as(path.getKey() + " summary").isNotBlank();
            assertThat(op.getValue().toString()).as(op.getKey() + " " + path.getKey() + " has an example").contains("\"examples\"");
        }));
        assertThat(operations).contains("POST /v1/batch", "POST /v1/track", "POST /v1/identify", "POST /v1/page",
                "POST /v1/screen", "POST /v1/alias", "POST /v1/group", "GET /v1/users/{id}", "GET /v1/stages",
                "POST /v1/import", "POST /v1/import/csv", "GET /v1/admin/projections");
    }
}
