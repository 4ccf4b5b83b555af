package io.ulm.platform;

import io.quarkus.runtime.QuarkusApplication;
import io.ulm.catalogue.CatalogueImports;
import io.ulm.ingest.CsvMapping;
import io.ulm.ingest.ImportService;
import io.ulm.ingest.Imports;
import io.ulm.projection.ProjectionProgress;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.GZIPInputStream;

/**
 * The command-line importer, run in-process against the same database as the service:
 * <pre>
 *   java -jar target/quarkus-app/quarkus-run.jar import online-retail ../shared/datasets/online-retail/online_retail.csv.gz
 *   java -jar target/quarkus-app/quarkus-run.jar import movielens ../shared/datasets/movielens-latest-small/ratings.csv.gz
 *   java -jar target/quarkus-app/quarkus-run.jar import ndjson events.ndjson
 *   java -jar target/quarkus-app/quarkus-run.jar import csv my-mapping.yaml export.csv
 *   java -jar target/quarkus-app/quarkus-run.jar import items-movielens ../shared/datasets/movielens-latest-small/movies.csv
 *   java -jar target/quarkus-app/quarkus-run.jar import items-online-retail ../shared/datasets/online-retail/online_retail.csv.gz
 * </pre>
 * Files ending in .gz are decompressed. Progress is printed as chunks commit.
 */
public class ImportCommand implements QuarkusApplication {

    @Inject
    Imports imports;

    @Inject
    ProjectionProgress projections;

    @Inject
    CatalogueImports items;

    private static final Duration CATCH_UP = Duration.ofMinutes(10);

    @Override
    public int run(String... args) throws IOException, InterruptedException {
        if (args.length < 3) {
            System.err.println("usage: import <online-retail|movielens|ndjson> <file>  |  import csv <mapping.yaml> <file>"
                    + "  |  import items-<movielens|online-retail> <file>");
            return 2;
        }
        String kind = args[1];
        Path file = Path.of(args[args.length - 1]);
        if (!Files.isRegularFile(file)) {
            System.err.println("No such file: " + file.toAbsolutePath());
            return 2;
        }
        if (kind.startsWith("items-")) { // the item catalogue (docs/catalogue.md)
            int code = items.cli(kind, file, System.out);
            System.out.println(projections.awaitCaughtUp(CATCH_UP) ? "Projections caught up." : "Projections continue when the service runs.");
            return code;
        }
        long started = System.nanoTime();
        ImportService.Result result;
        try (InputStream in = open(file)) {
            result = switch (kind) {
                case "ndjson" -> imports.ndjson(in, "cli:" + file, ImportCommand::progress);
                case "csv" -> imports.csv(in, CsvMapping.load(args[2]), "cli:" + file, ImportCommand::progress);
                default -> imports.csv(in, CsvMapping.load(kind), "cli:" + file, ImportCommand::progress);
            };
        }
        System.out.printf("%nImported %s in %.1f s: %d records read, %d messages stored, %d duplicates, %d rejected, "
                        + "%d skipped; latest event %s; stages decided up to the watermark %s (%d users by this import)%n",
                file.getFileName(), (System.nanoTime() - started) / 1e9, result.read(), result.stored(), result.duplicates(),
                result.rejected(), result.skipped(), result.maxEventTime(), result.decidedUpTo(), result.usersDecided());
        result.errors().stream().limit(10).forEach(e -> System.out.println("  rejected line " + e.index() + " " + e.pointer() + ": " + e.detail()));
        // the read models are part of the job: exit once the projections reflect the import
        System.out.print("Waiting for the projections to catch up ... ");
        boolean caughtUp = projections.awaitCaughtUp(CATCH_UP);
        System.out.println(caughtUp ? "done." : "not within " + CATCH_UP + "; they continue when the service runs.");
        return result.rejected() > 0 ? 1 : 0;
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        return file.toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
    }

    private static void progress(ImportService.Result r) {
        System.out.printf("\r  %,d read, %,d stored, %,d duplicates, %,d rejected, %,d skipped - %,.0f records/s   ",
                r.read(), r.stored(), r.duplicates(), r.rejected(), r.skipped(), r.read() / Math.max(r.seconds(), 0.001));
    }
}
