package io.ulm.segment;

import io.quarkus.runtime.StartupEvent;
import io.ulm.platform.UlmConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The rule segments declared in YAML ({@code ulm.segments.definitions}, default {@code projections/segments}:
 * a directory, else the same path on the classpath). Read at startup — a bad file stops the service with
 * its file, line and problem — and again at every evaluation, so an edited file takes effect without a
 * restart and a broken edit stops evaluations (never half of them) with the same message.
 */
@ApplicationScoped
public class RuleDefinitions {

    private final String location;
    private final Set<String> personalTraits;
    /** The definitions last loaded without error (what GET /v1/segments lists). */
    private volatile List<RuleDefinition> current = List.of();

    RuleDefinitions(UlmConfig config) {
        this.location = config.segments().definitions();
        this.personalTraits = Set.copyOf(config.privacy().personalTraits());
    }

    void validateAtStartup(@Observes StartupEvent event) {
        load();
    }

    /** Every definition, by file name; throws {@link DefinitionException} for the first bad one. */
    public List<RuleDefinition> load() {
        List<RuleDefinition> loaded = parse(read(location), personalTraits);
        current = loaded;
        return loaded;
    }

    /** The definitions last loaded without error. */
    public List<RuleDefinition> current() {
        return current;
    }

    /** Parses the given files (name to text, read in name order) and checks ids are unique across them. */
    static List<RuleDefinition> parse(Map<String, String> files, Set<String> personalTraits) {
        List<RuleDefinition> definitions = new ArrayList<>();
        Map<String, String> ids = new HashMap<>();
        for (Map.Entry<String, String> file : new TreeMap<>(files).entrySet()) {
            RuleDefinition d = RuleParser.parse(file.getKey(), file.getValue(), personalTraits);
            String other = ids.putIfAbsent(d.id(), d.file());
            if (other != null) {
                throw LocatedYaml.parse(d.file(), file.getValue()).error("/id",
                        "segment id '" + d.id() + "' is already defined in " + other);
            }
            definitions.add(d);
        }
        return definitions;
    }

    /** The YAML files of a directory, or of the same location on the classpath (a packaged service run elsewhere). */
    static Map<String, String> read(String location) {
        Path dir = Path.of(location);
        if (Files.isDirectory(dir)) {
            return readDirectory(dir, location);
        }
        URL url = RuleDefinitions.class.getClassLoader().getResource(location);
        if (url == null) {
            return Map.of();
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                    return readDirectory(jar.provider().getPath(uri), "classpath:" + location);
                } catch (java.nio.file.FileSystemAlreadyExistsException open) {
                    return readDirectory(FileSystems.getFileSystem(uri).provider().getPath(uri), "classpath:" + location);
                }
            }
            return readDirectory(Path.of(uri), "classpath:" + location);
        } catch (URISyntaxException | IOException | RuntimeException e) {
            throw new IllegalStateException("Cannot list the segment definitions at classpath:" + location + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> readDirectory(Path dir, String shownAs) {
        Map<String, String> files = new LinkedHashMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path f : list.sorted().toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                    files.put(shownAs + "/" + name, Files.readString(f, StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the segment definitions in " + shownAs, e);
        }
        return files;
    }
}
