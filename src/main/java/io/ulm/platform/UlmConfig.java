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

        /** After this long without an update, another node may claim a segment. */
        @WithDefault("PT10S")
        Duration claimTimeout();
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
}
