package io.ulm.interest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * LDA on the MovieLens item texts (9,742 titles plus 3,683 tags): reproducible for a seed, and better than a
 * baseline fitted in the same test on the same tokens shuffled across items (same unigram frequencies and
 * document lengths, no co-occurrence): its topics are more coherent, and one of its topics gathers
 * Animation/Children movies far above their base rate. No database: the model is plain Java.
 */
class TopicModelMovieLensTest {

    private static final TopicModeler.Params PARAMS = new TopicModeler.Params(20, 0.1, 0.01, 1000, 42, 20, 2);

    private static Map<String, MovieLensText.Movie> movies;
    private static List<TopicModeler.Document> documents;

    @BeforeAll
    static void load() throws Exception {
        movies = MovieLensText.movies();
        documents = MovieLensText.documents(movies, MovieLensText.tags(), TextAnalyzer.standard());
    }

    @Test
    void theSameSeedGivesTheSameModel() {
        TopicModeler.Params quick = new TopicModeler.Params(20, 0.1, 0.01, 120, 7, 20, 2);
        List<Integer> progress = new ArrayList<>();
        TopicModeler.Fit first = TopicModeler.fit(documents, quick, progress::add);
        List<TopicModeler.Document> reversed = new ArrayList<>(documents);
        Collections.reverse(reversed);   // the input order does not matter either
        TopicModeler.Fit second = TopicModeler.fit(reversed, quick, null);

        assertThat(progress).containsExactly(50, 100, 120);
        assertThat(second.topics()).isEqualTo(first.topics());
        assertThat(second.documents().keySet()).isEqualTo(first.documents().keySet());
        first.documents().forEach((id, p) -> assertThat(Arrays.equals(p, second.documents().get(id))).as(id).isTrue());
        assertThat(second.logLikelihoodPerToken()).isEqualTo(first.logLikelihoodPerToken());

        TopicModeler.Fit otherSeed = TopicModeler.fit(documents, new TopicModeler.Params(20, 0.1, 0.01, 120, 8, 20, 2), null);
        assertThat(otherSeed.topics()).isNotEqualTo(first.topics());
    }

    @Test
    void topicsAreMoreCoherentAndMoreGenreSpecificThanOnShuffledWords() {
        TopicModeler.Fit fit = TopicModeler.fit(documents, PARAMS, null);
        TopicModeler.Fit shuffled = TopicModeler.fit(shuffled(documents, 42), PARAMS, null);

        // both sets of topics judged on the REAL item texts and genres
        var real = TopicQuality.documentSets(documents);
        double coherence = TopicQuality.meanCoherence(words(fit), real);
        double baseline = TopicQuality.meanCoherence(words(shuffled), real);
        double genres = meanGenreLift(fit);
        double baselineGenres = meanGenreLift(shuffled);
        Lift animation = lift(fit, MovieLensText.Movie::animationOrChildren);
        Lift baselineAnimation = lift(shuffled, MovieLensText.Movie::animationOrChildren);
        System.out.printf("[topics] %d items, %d tokens, vocabulary %d, LL/token %.3f (shuffled %.3f)%n", fit.documents().size(),
                fit.tokens(), fit.vocabulary(), fit.logLikelihoodPerToken(), shuffled.logLikelihoodPerToken());
        System.out.printf("[topics] mean UMass coherence %.1f, shuffled-words baseline %.1f%n", coherence, baseline);
        System.out.printf("[topics] genre lift of each genre's best topic, mean over %d genres: %.3f, baseline %.3f%n", GENRES.size(),
                genres, baselineGenres);
        System.out.printf("[topics] Animation/Children: topic %d has %.3f of its weight on them, %.2f x their share %.3f %s; "
                + "baseline best %.2f x%n", animation.topic, animation.share, animation.lift, animation.baseRate,
                top(fit, animation.topic), baselineAnimation.lift);
        fit.topics().forEach(t -> System.out.printf("[topics] %2d %.3f %s%n", t.topic(), t.share(), top(fit, t.topic())));

        assertThat(fit.coherence()).isEqualTo(coherence); // the fit stores the same measure
        assertThat(coherence).as("coherence vs shuffled baseline").isGreaterThan(baseline + 0.05 * Math.abs(baseline));
        assertThat(genres - 1).as("genre enrichment vs shuffled baseline").isGreaterThan(2 * (baselineGenres - 1));
        assertThat(animation.lift).as("Animation/Children enrichment vs shuffled baseline").isGreaterThan(baselineAnimation.lift);
    }

    @Test
    void refusesBadParametersAndTooLittleText() {
        assertThatThrownBy(() -> new TopicModeler.Params(1, 0.1, 0.01, 10, 1, 10, 2)).hasMessageContaining("topics");
        assertThatThrownBy(() -> new TopicModeler.Params(5, 0, 0.01, 10, 1, 10, 2)).hasMessageContaining("alpha");
        assertThatThrownBy(() -> TopicModeler.fit(List.of(new TopicModeler.Document("1", Map.of("solo", 1))),
                new TopicModeler.Params(2, 0.1, 0.01, 10, 1, 10, 1), null)).hasMessageContaining("Too little text");
    }

    /** The same tokens dealt to the same document lengths at random: unigram statistics kept, co-occurrence destroyed. */
    static List<TopicModeler.Document> shuffled(List<TopicModeler.Document> docs, long seed) {
        List<String> tokens = new ArrayList<>();
        docs.forEach(d -> d.terms().forEach((t, n) -> tokens.addAll(Collections.nCopies(n, t))));
        Collections.shuffle(tokens, new Random(seed));
        List<TopicModeler.Document> out = new ArrayList<>();
        int next = 0;
        for (TopicModeler.Document d : docs) {
            int length = d.terms().values().stream().mapToInt(Integer::intValue).sum();
            Map<String, Integer> terms = new TreeMap<>();
            for (int i = 0; i < length; i++) {
                terms.merge(tokens.get(next++), 1, Integer::sum);
            }
            out.add(new TopicModeler.Document(d.id(), terms));
        }
        return out;
    }

    private static List<List<String>> words(TopicModeler.Fit fit) {
        return fit.topics().stream().map(t -> t.words().stream().map(TopicModeler.Word::word).toList()).toList();
    }

    private static List<String> top(TopicModeler.Fit fit, int topic) {
        return fit.topics().get(topic).words().stream().limit(10).map(TopicModeler.Word::word).toList();
    }

    /** The MovieLens genres of at least 100 movies (not IMAX, a format). */
    private static final List<String> GENRES = List.of("Action", "Adventure", "Animation", "Children", "Comedy", "Crime",
            "Documentary", "Drama", "Fantasy", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller",
            "War", "Western");

    record Lift(int topic, double share, double baseRate, double lift) {
    }

    /**
     * How much a topic concentrates on movies of a genre: its weight on them, sum of p(topic | movie) over the
     * genre's movies divided by its weight on all movies, over the genre's share of the movies; the best topic.
     * Soft (every movie counts with its whole mixture), so title-only movies add evidence instead of noise.
     */
    static Lift lift(TopicModeler.Fit fit, java.util.function.Predicate<MovieLensText.Movie> genre) {
        int k = fit.params().topics();
        double[] all = new double[k];
        double[] in = new double[k];
        int movieCount = 0;
        int inGenre = 0;
        for (Map.Entry<String, double[]> d : fit.documents().entrySet()) {
            MovieLensText.Movie movie = movies.get(d.getKey());
            if (movie == null) {
                continue;
            }
            boolean member = genre.test(movie);
            movieCount++;
            inGenre += member ? 1 : 0;
            for (int t = 0; t < k; t++) {
                all[t] += d.getValue()[t];
                in[t] += member ? d.getValue()[t] : 0;
            }
        }
        double base = inGenre / (double) movieCount;
        Lift best = new Lift(-1, 0, base, 0);
        for (int t = 0; t < k; t++) {
            double share = in[t] / all[t];
            if (share / base > best.lift()) {
                best = new Lift(t, share, base, share / base);
            }
        }
        return best;
    }

    /** The mean over the genres of the best topic's lift: 1 when topics ignore genres. */
    static double meanGenreLift(TopicModeler.Fit fit) {
        return GENRES.stream().mapToDouble(g -> lift(fit, m -> Arrays.asList(m.genres().split("\\|")).contains(g)).lift())
                .average().orElseThrow();
    }
}
