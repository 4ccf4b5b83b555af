package io.ulm.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.ulm.platform.Json;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** The two import formats, shared by {@code POST /v1/import} and the command line. */
@ApplicationScoped
public class Imports {

    private final ImportService imports;

    Imports(ImportService imports) {
        this.imports = imports;
    }

    /** NDJSON: one Segment message per line; blank lines are ignored. */
    public ImportService.Result ndjson(InputStream in, String source, Consumer<ImportService.Result> progress) throws IOException {
        ImportService.Session session = imports.start(source, progress);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            long number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    session.add(Json.mapper().readTree(line), number);
                } catch (JsonProcessingException e) {
                    session.reject(new MessageError((int) number, "", "line " + number + " is not valid JSON: " + e.getOriginalMessage()));
                }
            }
        }
        return session.finish();
    }

    /** CSV with a declared column mapping (a built-in name or a mapping file). */
    public ImportService.Result csv(InputStream in, CsvMapping mapping, String source, Consumer<ImportService.Result> progress) throws IOException {
        ImportService.Session session = imports.start(source, progress);
        new CsvImporter(mapping).read(in, session);
        return session.finish();
    }
}
