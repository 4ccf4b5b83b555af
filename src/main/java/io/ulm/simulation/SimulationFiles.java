package io.ulm.simulation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a simulation as files: the messages as NDJSON (the body of {@code POST /v1/import}), the ground truth as
 * NDJSON beside it, the catalogue as NDJSON (the body of {@code POST /v1/items}). Streams: nothing is held in memory.
 */
public final class SimulationFiles {

    /** What was written and how long it took (wall time of the whole run, truth included). */
    public record Summary(long messages, long messageBytes, int users, double seconds) {
        public double messagesPerSecond() {
            return messages / seconds;
        }
    }

    private SimulationFiles() {
    }

    /** Runs {@code simulator} to the end, writing {@code messages} then {@code truth}. */
    public static Summary write(Simulator simulator, Path messages, Path truth) {
        long started = System.nanoTime();
        long[] counts = new long[2];
        try (Writer out = writer(messages)) {
            simulator.run(m -> {
                line(out, m.json());
                counts[0]++;
                counts[1] += m.json().length() + 1;
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int users = writeTruth(simulator, truth);
        return new Summary(counts[0], counts[1], users, (System.nanoTime() - started) / 1e9);
    }

    /** The truth of every user acquired so far, one JSON object a line, in user index order. */
    public static int writeTruth(Simulator simulator, Path truth) {
        int[] users = {0};
        try (Writer out = writer(truth)) {
            simulator.truth().forEach(t -> {
                line(out, t.toJson());
                users[0]++;
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return users[0];
    }

    /** The catalogue as {@code POST /v1/items} NDJSON: {"id", "title", "categories", "properties"}. */
    public static void writeCatalogue(Catalogue catalogue, Path items) {
        ObjectMapper mapper = new ObjectMapper();
        try (Writer out = writer(items)) {
            for (Catalogue.Item item : catalogue.items()) {
                ObjectNode node = mapper.createObjectNode().put("id", item.id()).put("title", item.title());
                item.categories().forEach(node.putArray("categories")::add);
                ObjectNode properties = node.putObject("properties");
                item.properties().entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .forEach(e -> properties.putPOJO(e.getKey(), e.getValue()));
                line(out, mapper.writeValueAsString(node));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Writer writer(Path path) throws IOException {
        return new BufferedWriter(Files.newBufferedWriter(path, StandardCharsets.UTF_8), 1 << 16);
    }

    private static void line(Writer out, String json) {
        try {
            out.write(json);
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
