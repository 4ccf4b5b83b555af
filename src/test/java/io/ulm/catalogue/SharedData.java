package io.ulm.catalogue;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/** The shared public data sets ({@code ${shared.dir}/datasets/...}); a missing one fails the test, it never skips. */
public final class SharedData {

    public static final String MOVIES = "movielens-latest-small/movies.csv";
    public static final String RATINGS = "movielens-latest-small/ratings.csv.gz";
    public static final String RETAIL = "online-retail/online_retail.csv.gz";

    private SharedData() {
    }

    public static Path path(String relative) {
        String shared = System.getProperty("shared.dir");
        if (shared == null || shared.isBlank()) {
            fail("System property shared.dir is not set (the build sets it to ../shared); cannot find the data set " + relative);
        }
        Path file = Path.of(shared, "datasets", relative).toAbsolutePath().normalize();
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            fail("Data set " + relative + " not found at " + file + " (see ../shared/datasets/README.md); this test needs it");
        }
        return file;
    }
}
