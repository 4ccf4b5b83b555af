package io.ulm.segment;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A YAML document read with Jackson's streaming parser, keeping where every value starts: a tree bound
 * the usual way forgets its lines, and a definition error must name the line of the value at fault.
 * Values are addressed by JSON Pointer ({@code /when/all/1/gte}). Public for the other declarative files (win-back
 * policies, {@code io.ulm.winback}).
 */
public final class LocatedYaml {

    private static final YAMLFactory YAML = YAMLFactory.builder().enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private final String file;
    private final JsonNode root;
    private final Map<String, int[]> locations;

    private LocatedYaml(String file, JsonNode root, Map<String, int[]> locations) {
        this.file = file;
        this.root = root;
        this.locations = locations;
    }

    /** Parses {@code text}; a syntax error (duplicate keys included) is a {@link DefinitionException} at its place. */
    public static LocatedYaml parse(String file, String text) {
        Map<String, int[]> locations = new HashMap<>();
        try (JsonParser p = YAML.createParser(text)) {
            if (p.nextToken() == null) {
                throw new DefinitionException(file, 1, 1, "the file is empty");
            }
            JsonNode root = read(p, "", locations);
            return new LocatedYaml(file, root, locations);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new DefinitionException(file, at == null ? 1 : Math.max(1, at.getLineNr()),
                    at == null ? 1 : Math.max(1, at.getColumnNr()), "YAML syntax error: " + problem(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new DefinitionException(file, 1, 1, "cannot read: " + e.getMessage());
        }
    }

    private static JsonNode read(JsonParser p, String pointer, Map<String, int[]> locations) throws IOException {
        JsonLocation at = p.currentTokenLocation();
        locations.put(pointer, new int[]{at.getLineNr(), at.getColumnNr()});
        JsonToken token = p.currentToken();
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    object.set(name, read(p, pointer + "/" + name.replace("~", "~0").replace("/", "~1"), locations));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
                    array.add(read(p, pointer + "/" + i, locations));
                }
                return array;
            }
            case VALUE_STRING -> {
                return NODES.textNode(p.getText());
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return NODES.numberNode(p.getDecimalValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return NODES.booleanNode(token == JsonToken.VALUE_TRUE);
            }
            default -> {
                return NODES.nullNode();
            }
        }
    }

    /** SnakeYAML's message without its " in 'reader', line ..." lines and source excerpts (the location says it). */
    private static String problem(String message) {
        String m = message == null ? "" : message.strip();
        return String.join("; ", m.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0))).toList());
    }

    public String file() {
        return file;
    }

    public JsonNode root() {
        return root;
    }

    /** {@code file:line} of the value at {@code pointer}, for messages given later (at evaluation). */
    public String where(String pointer) {
        DefinitionException at = error(pointer, "");
        return at.file() + ":" + at.line();
    }

    /** An error at the value {@code pointer} (or the nearest enclosing value that has a location). */
    public DefinitionException error(String pointer, String problem) {
        String p = pointer;
        while (!locations.containsKey(p) && !p.isEmpty()) {
            p = p.substring(0, p.lastIndexOf('/'));
        }
        int[] at = locations.getOrDefault(p, new int[]{1, 1});
        return new DefinitionException(file, at[0], at[1], problem);
    }
}
