package io.ulm.interest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * TF-IDF keywords of one user (docs/interests.md). The document is the user's bag of terms; the corpus is
 * every user with a non-empty bag:
 * <pre>
 *   tf(t)    = 1 + ln(count(t))                     sublinear: the 30th purchase of a candle says less than the first
 *   idf(t)   = ln((N + 1) / (df(t) + 1)) + 1        smoothed (as scikit-learn's smooth_idf): never 0, never infinite
 *   w(t)     = tf(t) * idf(t)
 *   score(t) = w(t) / sqrt(sum over the bag of w^2)  L2-normalised over ALL the user's terms, so scores compare across users
 * </pre>
 * The list then keeps terms with count >= minCount and df >= minDf (both 2 by default: one sighting is not an
 * interest, and a term no other user has cannot be compared); the norm still runs over the whole bag. Ties are
 * broken by term, so the same bag and statistics always give the same list.
 */
public final class TfIdf {

    /** One keyword: the term, its score, its count in the user's bag and its document frequency. */
    public record Keyword(String term, double score, long count, long df) {
    }

    private TfIdf() {
    }

    public static double tf(long count) {
        return count <= 0 ? 0 : 1 + Math.log(count);
    }

    public static double idf(long documents, long df) {
        return Math.log((documents + 1.0) / (Math.max(0, df) + 1.0)) + 1;
    }

    /**
     * The top {@code n} keywords of a bag.
     *
     * @param bag       term to count in the user's bag
     * @param df        term to the number of users whose bag contains it (missing: 0, a term newer than the statistics)
     * @param documents N, the number of users with a non-empty bag when df was computed
     * @param minCount  smallest count of a listed term
     * @param minDf     smallest document frequency of a listed term
     */
    public static List<Keyword> top(Map<String, Long> bag, Map<String, Long> df, long documents, int n, long minCount, long minDf) {
        List<Keyword> all = new ArrayList<>(bag.size());
        double norm = 0;
        for (Map.Entry<String, Long> e : bag.entrySet()) {
            long d = df.getOrDefault(e.getKey(), 0L);
            double w = tf(e.getValue()) * idf(documents, d);
            norm += w * w;
            all.add(new Keyword(e.getKey(), w, e.getValue(), d));
        }
        double length = Math.sqrt(norm);
        List<Keyword> scored = new ArrayList<>(all.size());
        for (Keyword k : all) {
            if (k.count() < minCount || k.df() < minDf) {
                continue;
            }
            scored.add(new Keyword(k.term(), length == 0 ? 0 : k.score() / length, k.count(), k.df()));
        }
        scored.sort(Comparator.comparingDouble(Keyword::score).reversed().thenComparing(Keyword::term));
        return List.copyOf(scored.subList(0, Math.min(Math.max(n, 0), scored.size())));
    }
}
