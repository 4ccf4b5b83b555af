package io.ulm.catalogue;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** The items read from a data-set file, and the rows that could not be read (index = line number). */
public record ItemFile(List<ItemDefinition> items, List<ItemError> errors) {

    public ItemFile {
        items = List.copyOf(items);
        errors = List.copyOf(errors);
    }

    /** A CSV parser with a header row, reading gzip transparently (by its magic bytes, whatever the file name). */
    static CSVParser csv(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        buffered.mark(2);
        int b1 = buffered.read();
        int b2 = buffered.read();
        buffered.reset();
        InputStream body = b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(buffered, 1 << 16) : buffered;
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
        return CSVParser.parse(new InputStreamReader(body, StandardCharsets.UTF_8), format);
    }

    /** Fails with the columns a file lacks, naming the data set. */
    static void requireColumns(CSVParser parser, String dataset, List<String> columns) {
        List<String> missing = new ArrayList<>(columns);
        missing.removeAll(parser.getHeaderNames());
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("not a " + dataset + " file: missing column(s) " + missing
                    + " (header: " + parser.getHeaderNames() + ")");
        }
    }
}
