package io.ulm.segment;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The segment tests' application: a database of its own ({@link SegmentsDatabase}), the shipped rule segments
 * copied to a directory the tests may add files to (a broken definition, reloaded at the next evaluation), an
 * interest table name only these tests create, and no scheduled evaluation (the tests evaluate on demand).
 */
public class SegmentsProfile implements QuarkusTestProfile {

    static final Path DEFINITIONS = Path.of("target", "segment-definitions");
    static final String INTEREST_TABLE = "segment_test_interest";

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            Files.createDirectories(DEFINITIONS);
            try (Stream<Path> old = Files.list(DEFINITIONS)) {
                for (Path f : old.toList()) {
                    Files.delete(f);
                }
            }
            try (Stream<Path> shipped = Files.list(Path.of("projections", "segments"))) {
                for (Path f : shipped.toList()) {
                    Files.copy(f, DEFINITIONS.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("ulm.segments.definitions", DEFINITIONS.toString(), "ulm.segments.interest-table", INTEREST_TABLE,
                "ulm.segments.every", "off");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(SegmentsDatabase.class));
    }

    /** The other tests' shared database (PostgresResource) must not be configured here as well. */
    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
