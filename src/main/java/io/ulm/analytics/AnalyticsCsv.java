package io.ulm.analytics;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The reports as CSV (RFC 4180: comma, CRLF, header row), in long ("tidy") form: one row per number with
 * the coordinates as columns, which every spreadsheet and data frame can pivot. Empty cell: no value
 * (a share of an empty cohort, a conversion from zero users, the acquisition as a transition's origin).
 */
final class AnalyticsCsv {

    private AnalyticsCsv() {
    }

    static String funnel(Funnel f) {
        return print(List.of("stage", "users", "previous", "conversion", "share"), out -> {
            for (Funnel.Step s : f.steps()) {
                out.printRecord(s.stage(), s.users(), s.previous(), s.conversion(), s.share());
            }
        });
    }

    static String cohorts(CohortMatrix m) {
        return print(List.of("cohort", "users", "k", "period", "retained", "share"), out -> {
            for (CohortMatrix.Row row : m.cohorts()) {
                for (int k = 0; k < row.counts().size(); k++) {
                    out.printRecord(row.cohort(), row.users(), k, m.period().plus(row.cohort(), k), row.counts().get(k),
                            row.shares().get(k));
                }
            }
        });
    }

    static String transitions(TransitionMatrix t) {
        return print(List.of("period", "from", "to", "count", "out_of", "probability"), out -> {
            for (TransitionMatrix.Group g : t.periods()) {
                for (TransitionMatrix.Cell c : g.cells()) {
                    out.printRecord(g.start() == null ? "all" : g.start(), c.from(), c.to(), c.count(), c.outOf(), c.probability());
                }
            }
        });
    }

    static String lifecycle(LifecycleSeries s) {
        return print(List.of("period", "new", "returning", "resurrecting", "dormant", "active"), out -> {
            for (LifecycleSeries.Point p : s.series()) {
                out.printRecord(p.period(), p.newUsers(), p.returning(), p.resurrecting(), p.dormant(), p.active());
            }
        });
    }

    private interface Body {
        void write(CSVPrinter out) throws IOException;
    }

    private static String print(List<String> header, Body body) {
        StringBuilder text = new StringBuilder();
        try (CSVPrinter out = new CSVPrinter(text, CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new)).get())) {
            body.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
