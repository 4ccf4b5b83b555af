package io.ulm.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * All of ULM's own settings ({@code ulm.*} in application.properties; every one can be overridden by
 * an environment variable: {@code ulm.ingest.max-message-bytes} is {@code ULM_INGEST_MAX_MESSAGE_BYTES}).
 */
@ConfigMapping(prefix = "ulm")
public interface UlmConfig {

    Ingest ingest();

    Lifecycle lifecycle();

    Axon axon();

    Security security();

    Privacy privacy();

    Import importer();

    Embedded embedded();

    Db db();

    Features features();

    Segments segments();

    /** An external PostgreSQL; without a URL the embedded one is used (read by {@link UlmMain} before start). */
    interface Db {
        Optional<String> url();

        Optional<String> username();

        Optional<String> password();
    }

    /** The embedded PostgreSQL (set up by {@link UlmMain} or the test resource before Quarkus starts). */
    interface Embedded {
        /** True when ULM runs on its embedded PostgreSQL. */
        @WithDefault("false")
        boolean enabled();

        /** Where the embedded PostgreSQL keeps its data. */
        @WithDefault("data/postgres")
        String dataDir();

        /** Its port; 0 picks a free one. */
        @WithDefault("0")
        int port();

        /** The file holding the master key of the embedded installation. */
        Optional<String> masterKeyFile();

        /** Stop the embedded PostgreSQL when the service stops (false in tests, which share it). */
        @WithDefault("false")
        boolean stopOnShutdown();
    }

    interface Ingest {
        /** Largest accepted message, in bytes of JSON (Segment's limit). */
        @WithDefault("32768")
        int maxMessageBytes();

        /** Largest accepted request body, in bytes (Segment's batch limit). */
        @WithDefault("512000")
        int maxRequestBytes();

        /** How far a timestamp may lie after receivedAt before it is rejected as in the future. */
        @WithDefault("PT1H")
        Duration maxFutureSkew();

        /** Timestamps before this instant are rejected as invalid. */
        @WithDefault("1990-01-01T00:00:00Z")
        String minTimestamp();

        /** Attempts of one ingestion transaction when two writers race for the same user. */
        @WithDefault("8")
        int maxAttempts();
    }

    interface Lifecycle {
        /** The stage rules: a file path, else a classpath resource. */
        @WithDefault("projections/lifecycle-rules.yaml")
        String rules();

        /** How late (in event time) a message may arrive and still be decided in order. */
        @WithDefault("PT0S")
        Duration allowedLateness();

        /** How often the clock sweep looks for users whose next decision is due. */
        @WithDefault("5s")
        String sweepInterval();

        /** Users per sweep transaction. */
        @WithDefault("200")
        int sweepBatch();
    }

    interface Axon {
        /** Take a snapshot of a user's aggregate after this many events. */
        @WithDefault("100")
        int snapshotThreshold();

        /** User aggregates kept in memory between commands (validated against the committed version). */
        @WithDefault("50000")
        int cachedAggregates();

        /** Segments of each pooled streaming processor (fewer is faster on 2 cores). */
        @WithDefault("2")
        int segments();

        /** Events per projection transaction. */
        @WithDefault("1000")
        int batchSize();

        /** After this long without an update, another node may claim a segment (a dead node's segments move then). */
        @WithDefault("PT10S")
        Duration claimTimeout();

        /** How often a processor looks for unclaimed segments (and extends its claims when idle). */
        @WithDefault("PT5S")
        Duration tokenClaimInterval();

        /**
         * This process's name in the token store's owner column and in PostgreSQL's {@code application_name}
         * ({@code ulm-node:<id>}); distinct per process. Default: {@code pid@host} (set by {@link UlmMain}).
         */
        Optional<String> nodeId();

        /**
         * Share each processor's segments fairly among the live nodes (docs/scaling.md): a node claims at most its
         * share and releases the surplus when another node joins. Off: the first node claims every segment.
         */
        @WithDefault("true")
        boolean balanceSegments();

        /** How often a node recounts the live nodes and each processor's segments (for the fair share). */
        @WithDefault("PT5S")
        Duration balanceInterval();
    }

    interface Security {
        /**
         * API keys and their roles: key name to "secret:role,role". Roles are ingest, read and admin.
         * Empty in production configuration: the service then refuses to start unless it runs embedded.
         */
        Map<String, String> keys();
    }

    interface Privacy {
        /** Base64 of the 256-bit master key that wraps the per-user data keys. */
        Optional<String> masterKey();

        /** Trait names that are personal data: their values are stored encrypted. */
        List<String> personalTraits();

        /** Property names (of track, page and screen messages) that are personal data. */
        @WithDefault("email,phone,name,ip")
        List<String> personalProperties();

        /** Context fields never stored (top level, or one level deep as "device.id"). */
        @WithDefault("ip,traits,location,userAgent,device.id,device.advertisingId,device.token")
        List<String> droppedContextFields();

        /**
         * How long a node trusts a data key it read: an erasure on another node stops this node decrypting her values
         * within this time (the erasing node evicts its own cache at once).
         */
        @WithDefault("PT30S")   // ISO-8601: also read by plain SmallRye Config outside Quarkus (InterestConfigTest)
        java.time.Duration keyCacheTtl();
    }

    interface Import {
        /** Largest message in an import (an order with hundreds of lines is larger than Segment's 32 KB). */
        @WithDefault("1048576")
        int maxMessageBytes();

        /** Messages per import transaction. */
        @WithDefault("2000")
        int chunkSize();

        /** Users per transaction of the final sweep of an import. */
        @WithName("sweep-batch")
        @WithDefault("500")
        int sweepBatch();
    }

    /** Segments (io.ulm.segment, docs/segments.md): evaluation job, rule definitions, clustering. */
    interface Segments {
        /** Directory of the YAML rule segments (a file path, else a classpath location). */
        @WithDefault("projections/segments")
        String definitions();

        /**
         * How often the job looks whether the watermark moved ({@code off} disables it). Default: the
         * lifecycle sweep interval, so segments follow the stage decisions of the same watermark.
         */
        Optional<String> every();

        /** Evaluations triggered by a moving watermark run at most this often (wall clock, all nodes). */
        @WithDefault("PT1M")
        Duration minInterval();

        /** A watermark-triggered evaluation also re-runs the clustering once the last clustering is this old. */
        @WithDefault("PT6H")
        Duration clusterInterval();

        /** Users per evaluation transaction. */
        @WithDefault("500")
        int batch();

        /** How long an evaluation waits for the projections it reads to catch up with the log. */
        @WithDefault("PT2M")
        Duration catchUpTimeout();

        /** The category-interest table of the features projection (user_id, category, weight), if any. */
        @WithDefault("user_category_interest")
        String interestTable();

        Clusters clusters();

        interface Clusters {
            /** Seed of k-means++ (runs are reproducible). */
            @WithDefault("42")
            long seed();

            /** The range of k tried; the k with the best silhouette wins. */
            @WithDefault("2")
            int kMin();

            @WithDefault("8")
            int kMax();

            /** k-means++ runs per k (the one with the lowest within-cluster variance is kept). */
            @WithDefault("3")
            int trials();

            @WithDefault("100")
            int maxIterations();

            /**
             * The smallest k whose silhouette is within this of the best wins: near-equal silhouettes would
             * otherwise flip k (and relabel every user) from one run to the next.
             */
            @WithDefault("0.01")
            double silhouetteTolerance();

            /** Points the silhouette is computed on (a deterministic sample; the silhouette is O(n²)). */
            @WithDefault("2000")
            int silhouetteSample();

            /** Users clustered at most (a deterministic sample beyond; k-means then assigns everybody). */
            @WithDefault("20000")
            int maxUsers();

            /** DBSCAN neighbourhood radius in the scaled space (docs/segments.md says how it was chosen). */
            @WithDefault("0.7")
            double eps();

            /** DBSCAN: neighbours within eps (besides the point) that make it a core point (4 per feature). */
            @WithDefault("20")
            int minPts();
        }
    }

    /**
     * Behavioural features and category interests (io.ulm.feature, docs/features.md). The weights, the half-life and
     * the session gap shape what the features projection stores: after changing one, replay the projection
     * ({@code POST /v1/admin/projections/features/replay}).
     */
    interface Features {
        /** Half-life h of the time-decayed category interests: an interaction h ago weighs half of one now. */
        @WithDefault("P30D")
        Duration categoryHalfLife();

        /** Interest weight of an item in an activity that is neither a purchase nor a refund (a view, a rating). */
        @WithDefault("1")
        double viewWeight();

        /** Interest weight of an item in a purchase. */
        @WithDefault("3")
        double purchaseWeight();

        /** Interest weight of an item in a refund (0: a returned item adds no interest). */
        @WithDefault("0")
        double refundWeight();

        /** Activities less than this apart (event time) belong to one session. */
        @WithDefault("PT30M")
        Duration sessionGap();

        /** How many top categories a user's features list. */
        @WithDefault("5")
        int topCategories();

        /** Categories that never count as interests (catalogue lines that are not merchandise). */
        @WithDefault("fees")
        List<String> excludedCategories();
    }
}
