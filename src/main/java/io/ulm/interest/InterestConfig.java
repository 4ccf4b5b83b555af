package io.ulm.interest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;
import java.util.Optional;

/**
 * Settings of the text interests ({@code ulm.interests.*}; environment: {@code ULM_INTERESTS_TOPICS_K} and so on).
 * Meanings and formulas: docs/interests.md. The schedules are read by {@link InterestSchedule} as
 * {@code ulm.interests.refresh-every} (default 5m) and {@code ulm.interests.topics.refit-cron} (default off).
 */
@ConfigMapping(prefix = "ulm.interests")
public interface InterestConfig {

    /** Properties of track, page and screen messages that hold the user's own text. Encrypted (personal) values are skipped. */
    @WithDefault("tag,tags,review,comment")
    List<String> textProperties();

    /** Shortest term kept by the analyzer. Changing it (or the stop words) needs a replay of interest-text. */
    @WithDefault("2")
    int minTermLength();

    /** Stop words added to the built-in English list (e.g. catalogue boilerplate such as "pack" or "set"). */
    Optional<List<String>> stopWords();

    /** Keywords returned by default (GET /v1/users/{id}/interests?keywords=). */
    @WithDefault("20")
    int keywords();

    /** Each term of the user's own text counts this many times in her bag: she wrote it, rather than saw it in a title. */
    @WithDefault("2")
    int ownTextWeight();

    /** A keyword must occur at least this often in the user's bag: a word seen once is not yet an interest. */
    @WithDefault("2")
    int keywordMinCount();

    /** A keyword must be in at least this many users' bags: a word nobody else has (a typo, a private label) compares with nothing. */
    @WithDefault("2")
    int keywordMinDf();

    /** How often the document frequencies and user topic mixtures are recomputed (if their inputs changed). */
    @WithDefault("5m")
    String refreshEvery();

    Topics topics();

    /** The LDA topic model (defaults of POST /v1/admin/topics/fit). */
    interface Topics {
        /** Number of topics K. */
        @WithDefault("20")
        int k();

        /** Symmetric Dirichlet prior per topic in a document; small values suit short item texts. */
        @WithDefault("0.1")
        double alpha();

        /** Symmetric Dirichlet prior per word in a topic. */
        @WithDefault("0.01")
        double beta();

        /** Gibbs sampling iterations. */
        @WithDefault("1000")
        int iterations();

        @WithDefault("42")
        int seed();

        /** Top words stored per topic. */
        @WithDefault("20")
        int topWords();

        /** A word must occur in this many items to enter the vocabulary (rarer words cannot co-occur). */
        @WithDefault("2")
        int minDf();

        /** Cron of the scheduled refit (Quarkus syntax, e.g. "0 0 3 * * ?"), or off. */
        @WithDefault("off")
        String refitCron();
    }
}
