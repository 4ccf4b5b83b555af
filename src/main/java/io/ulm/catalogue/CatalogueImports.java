package io.ulm.catalogue;

import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Data-set imports into the catalogue, shared by {@code POST /v1/items/import} and the command line
 * ({@code import items-movielens <movies.csv>}, {@code import items-online-retail <online_retail.csv.gz>}).
 * Items are defined through the aggregates like any PUT; re-running an import records nothing new.
 */
@ApplicationScoped
public class CatalogueImports {

    /** The data sets, by the name used in {@code ?source=} and (prefixed with "items-") on the command line. */
    public enum Source {
        MOVIELENS("movielens"), ONLINE_RETAIL("online-retail");

        final String key;

        Source(String key) {
            this.key = key;
        }

        public static Source of(String key) {
            for (Source s : values()) {
                if (s.key.equals(key)) {
                    return s;
                }
            }
            return null;
        }

        public static List<String> keys() {
            return java.util.Arrays.stream(values()).map(s -> s.key).toList();
        }
    }

    private final Catalogue catalogue;
    private final OnlineRetailCategories retailCategories = OnlineRetailCategories.defaults();

    CatalogueImports(Catalogue catalogue) {
        this.catalogue = catalogue;
    }

    /** Reads the file (gzip or not) and defines its items. */
    public Catalogue.Outcome run(Source source, InputStream in) throws IOException {
        ItemFile file = switch (source) {
            case MOVIELENS -> MovieLensItems.read(in);
            case ONLINE_RETAIL -> OnlineRetailItems.read(in, retailCategories);
        };
        return catalogue.define(file.items(), file.errors());
    }

    /** The command line: {@code import items-<source> <file>}; returns the exit code. */
    public int cli(String command, Path file, PrintStream out) throws IOException {
        Source source = Source.of(command.substring("items-".length()));
        if (source == null) {
            out.println("usage: import items-<" + String.join("|", Source.keys()) + "> <file>");
            return 2;
        }
        long started = System.nanoTime();
        Catalogue.Outcome outcome;
        try (InputStream in = Files.newInputStream(file)) {
            outcome = run(source, in);
        }
        out.printf("Catalogued %s in %.1f s: %d items read, %d defined or changed, %d unchanged, %d rejected%n",
                file.getFileName(), (System.nanoTime() - started) / 1e9, outcome.received(), outcome.defined(),
                outcome.unchanged(), outcome.rejected());
        outcome.errors().stream().limit(10).forEach(e -> out.println("  rejected: " + e.detail()));
        return outcome.rejected() > 0 ? 1 : 0;
    }
}
