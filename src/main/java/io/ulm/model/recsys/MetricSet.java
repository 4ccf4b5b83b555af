package io.ulm.model.recsys;

/** The ranking metrics of one model at one cut-off, averaged over the evaluated users. */
public record MetricSet(String model, int k, int users, double hitRate, double recall, double ndcg, double map,
                        double coverage, double novelty) {

    public static final String TABLE_HEADER =
            "| model | K | users | HR@K | Recall@K | NDCG@K | MAP@K | coverage | novelty (bits) |\n"
                    + "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |";

    /** One Markdown table row, for reports such as docs/evaluation.md. */
    public String tableRow() {
        return String.format(java.util.Locale.ROOT, "| %s | %d | %d | %.4f | %.4f | %.4f | %.4f | %.4f | %.2f |",
                model, k, users, hitRate, recall, ndcg, map, coverage, novelty);
    }
}
