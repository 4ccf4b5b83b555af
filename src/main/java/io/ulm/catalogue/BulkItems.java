package io.ulm.catalogue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.ulm.platform.Json;
import io.ulm.platform.problem.Problem;
import io.ulm.platform.problem.ProblemException;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code POST /v1/items}: a JSON array of definitions (errors point into it: {@code /3/title},
 * index = array position) or NDJSON, one definition per line (index = line number, pointer relative to the
 * line). Without a telling Content-Type, a body starting with '[' is an array.
 */
final class BulkItems {

    private BulkItems() {
    }

    static ItemFile parse(byte[] body, String contentType) {
        String type = contentType == null ? "" : contentType.toLowerCase(java.util.Locale.ROOT);
        boolean array = type.startsWith("application/json") || (!type.contains("ndjson") && firstChar(body) == '[');
        try {
            return array ? array(body) : lines(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ItemFile array(byte[] body) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(body);
        } catch (IOException e) {
            throw malformed("the body is not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isArray()) {
            throw malformed("the body must be a JSON array of item definitions (or NDJSON, one per line)");
        }
        List<ItemDefinition> items = new ArrayList<>();
        List<ItemError> errors = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            add(ItemDefinitions.parse(root.get(i), null, i, "/" + i), items, errors);
        }
        return new ItemFile(items, errors);
    }

    private static ItemFile lines(byte[] body) throws IOException {
        List<ItemDefinition> items = new ArrayList<>();
        List<ItemError> errors = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    add(ItemDefinitions.parse(Json.mapper().readTree(line), null, number, ""), items, errors);
                } catch (JsonProcessingException e) {
                    errors.add(new ItemError(number, null, "", "line " + number + " is not valid JSON: " + e.getOriginalMessage()));
                }
            }
        }
        if (items.isEmpty() && errors.isEmpty()) {
            throw malformed("the body holds no item definition");
        }
        return new ItemFile(items, errors);
    }

    private static void add(ItemDefinitions.Parsed parsed, List<ItemDefinition> items, List<ItemError> errors) {
        if (parsed.valid()) {
            items.add(parsed.item());
        } else {
            errors.addAll(parsed.errors());
        }
    }

    private static int firstChar(byte[] body) {
        for (byte b : body) {
            if (!Character.isWhitespace(b)) {
                return b;
            }
        }
        return -1;
    }

    static ProblemException malformed(String detail) {
        return new ProblemException(Problem.of(400, "malformed-json", "Malformed JSON", detail));
    }
}
