package io.ulm.ingest;

import io.quarkus.runtime.QuarkusApplication;

/** Placeholder, replaced by the command-line importer. */
public class ImportCommand implements QuarkusApplication {
    @Override
    public int run(String... args) {
        return 0;
    }
}
