package io.ulm.interest;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The TF-IDF formula on a corpus small enough to work out by hand: three users, N = 3.
 * <pre>
 *   A: pixar x3, toy x1      B: toy x2, story x1      C: war x1, star x1
 *   df: pixar 1, toy 2, story 1, war 1, star 1
 *   idf(df=1) = ln(4/2) + 1 = 1.693147   idf(df=2) = ln(4/3) + 1 = 1.287682
 *   A: w(pixar) = (1 + ln 3) * 1.693147 = 3.553259, w(toy) = 1 * 1.287682
 *      |w| = sqrt(3.553259^2 + 1.287682^2) = 3.779389 -> pixar 0.940168, toy 0.340712
 *   B: w(toy) = (1 + ln 2) * 1.287682 = 2.180216, w(story) = 1.693147 -> toy 0.789807, story 0.613356
 * </pre>
 * (the same numbers as scikit-learn's TfidfVectorizer with sublinear_tf, smooth_idf and the l2 norm).
 */
class TfIdfTest {

    private static final Map<String, Long> A = Map.of("pixar", 3L, "toy", 1L);
    private static final Map<String, Long> B = Map.of("toy", 2L, "story", 1L);
    private static final Map<String, Long> C = Map.of("war", 1L, "star", 1L);

    private static Map<String, Long> df(List<Map<String, Long>> bags) {
        Map<String, Long> df = new HashMap<>();
        bags.forEach(b -> b.keySet().forEach(t -> df.merge(t, 1L, Long::sum)));
        return df;
    }

    @Test
    void scoresTheHandWorkedExample() {
        Map<String, Long> df = df(List.of(A, B, C));
        assertThat(TfIdf.idf(3, 1)).isCloseTo(1.693147, within(1e-6));
        assertThat(TfIdf.idf(3, 2)).isCloseTo(1.287682, within(1e-6));

        List<TfIdf.Keyword> a = TfIdf.top(A, df, 3, 10, 1, 1);
        assertThat(a).extracting(TfIdf.Keyword::term).containsExactly("pixar", "toy");
        assertThat(a.get(0).score()).isCloseTo(0.940168, within(1e-6));
        assertThat(a.get(1).score()).isCloseTo(0.340712, within(1e-6));
        assertThat(a.get(0).count()).isEqualTo(3);
        assertThat(a.get(0).df()).isEqualTo(1);

        List<TfIdf.Keyword> b = TfIdf.top(B, df, 3, 10, 1, 1);
        assertThat(b).extracting(TfIdf.Keyword::term).containsExactly("toy", "story");
        assertThat(b.get(0).score()).isCloseTo(0.789807, within(1e-6));
        assertThat(b.get(1).score()).isCloseTo(0.613356, within(1e-6));
        // unit length over the bag
        assertThat(b.stream().mapToDouble(k -> k.score() * k.score()).sum()).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void aTermEveryoneHasWeighsLessThanARareOne() {
        // same count; "movie" is in every bag, "pixar" in one
        Map<String, Long> bag = Map.of("movie", 2L, "pixar", 2L);
        List<TfIdf.Keyword> top = TfIdf.top(bag, Map.of("movie", 100L, "pixar", 3L), 100, 10, 1, 1);
        assertThat(top.get(0).term()).isEqualTo("pixar");
        assertThat(top.get(0).score()).isGreaterThan(top.get(1).score());
    }

    @Test
    void tfIsSublinear() {
        assertThat(TfIdf.tf(1)).isEqualTo(1.0);
        assertThat(TfIdf.tf(0)).isEqualTo(0.0);
        assertThat(TfIdf.tf(30) / TfIdf.tf(1)).isLessThan(5); // the 30th candle says little more than the first
    }

    @Test
    void filtersTheListButNotTheNorm() {
        Map<String, Long> df = df(List.of(A, B, C));
        // minCount 2 hides "toy" (count 1) from A's list; pixar keeps the score it had with toy in the norm
        List<TfIdf.Keyword> a = TfIdf.top(A, df, 3, 10, 2, 1);
        assertThat(a).extracting(TfIdf.Keyword::term).containsExactly("pixar");
        assertThat(a.get(0).score()).isCloseTo(0.940168, within(1e-6));
        // minDf 2 keeps only toy for B
        assertThat(TfIdf.top(B, df, 3, 10, 1, 2)).extracting(TfIdf.Keyword::term).containsExactly("toy");
    }

    @Test
    void isDeterministicAndTruncates() {
        Map<String, Long> bag = Map.of("b", 1L, "a", 1L, "c", 1L);
        List<TfIdf.Keyword> top = TfIdf.top(bag, Map.of(), 0, 2, 1, 0);
        assertThat(top).extracting(TfIdf.Keyword::term).containsExactly("a", "b"); // equal scores: by term
        assertThat(TfIdf.top(Map.of(), Map.of(), 10, 5, 1, 1)).isEmpty();
        // a term newer than the statistics (df 0, N 0) still scores, with the largest idf
        assertThat(TfIdf.idf(0, 0)).isEqualTo(1.0);
    }
}
