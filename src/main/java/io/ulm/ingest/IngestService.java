package io.ulm.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.ulm.lifecycle.ActivityKind;
import io.ulm.lifecycle.LifecycleClock;
import io.ulm.lifecycle.LifecycleCommands;
import io.ulm.lifecycle.LifecycleRules;
import io.ulm.lifecycle.api.Observation;
import io.ulm.lifecycle.api.RecordActivity;
import io.ulm.platform.Retry;
import io.ulm.platform.UlmConfig;
import io.ulm.platform.privacy.PersonalData;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Ingestion: validate every message, then, in one transaction per request, resolve identities,
 * claim message ids, encrypt personal data and send one {@link RecordActivity} per user. Valid
 * messages are stored even when others in the batch are not; a request that fails midway stores
 * nothing (the transaction rolls back) and a lost race is retried as a whole.
 */
@ApplicationScoped
public class IngestService {

    /** What happened to a request: counts, and the rejected messages with their reasons. */
    public record Outcome(int received, int accepted, int duplicates, List<MessageError> errors, Instant maxEventTime) {
        public int rejected() {
            return received - accepted - duplicates;
        }
    }

    /** Message types whose properties are kept (identify and group carry traits instead). */
    private static final Set<String> BEHAVIOUR_TYPES = Set.of("track", "page", "screen");

    /** Live requests decide stages up to the watermark; imports only record and decide at the end. */
    public enum Mode { LIVE, IMPORT }

    private final MessageParser parser;
    private final MessageParser importParser;
    private final IdentityResolver identities;
    private final Deduplicator deduplicator;
    private final PersonalData personalData;
    private final LifecycleCommands lifecycle;
    private final LifecycleClock clock;
    private final LifecycleRules rules;
    private final int attempts;
    private final IngestMetrics metrics;

    IngestService(IdentityResolver identities, Deduplicator deduplicator, PersonalData personalData,
                  LifecycleCommands lifecycle, LifecycleClock clock, LifecycleRules rules, UlmConfig config, IngestMetrics metrics) {
        UlmConfig.Ingest ingest = config.ingest();
        Instant minTimestamp = Instant.parse(ingest.minTimestamp());
        this.parser = new MessageParser(new MessageParser.Limits(ingest.maxMessageBytes(), ingest.maxFutureSkew(), minTimestamp));
        this.importParser = new MessageParser(new MessageParser.Limits(config.importer().maxMessageBytes(), ingest.maxFutureSkew(), minTimestamp));
        this.identities = identities;
        this.deduplicator = deduplicator;
        this.personalData = personalData;
        this.lifecycle = lifecycle;
        this.clock = clock;
        this.rules = rules;
        this.attempts = ingest.maxAttempts();
        this.metrics = metrics;
    }

    /**
     * @param messages   the messages, in request order
     * @param base       JSON Pointer of the message array ("/batch"), or null for a single message
     * @param receivedAt receipt time (live), or null for imports (the messages carry their own)
     */
    public Outcome ingest(List<JsonNode> messages, MessageParser.Envelope envelope, String base, Instant receivedAt, Mode mode) {
        return ingest(messages, envelope, i -> base == null ? null : i, i -> base == null ? "" : base + "/" + i, receivedAt, mode);
    }

    /** Import lines: errors carry the line number as index and a pointer relative to the message. */
    public Outcome ingestLines(List<JsonNode> messages, long firstLine) {
        return ingest(messages, MessageParser.Envelope.NONE, i -> (int) (firstLine + i), i -> "", null, Mode.IMPORT);
    }

    private Outcome ingest(List<JsonNode> messages, MessageParser.Envelope envelope, IntFunction<Integer> index,
                           IntFunction<String> pointer, Instant receivedAt, Mode mode) {
        List<IncomingMessage> valid = new ArrayList<>();
        List<MessageError> errors = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            MessageParser.Parsed parsed = (mode == Mode.LIVE ? parser : importParser)
                    .parse(messages.get(i), index.apply(i), pointer.apply(i), envelope, receivedAt);
            if (parsed.valid()) {
                valid.add(parsed.message());
            } else {
                errors.addAll(parsed.errors());
                metrics.rejected(mode, parsed.errors().get(0).reason());
            }
        }
        int accepted = valid.isEmpty() ? 0 : Retry.times(attempts, () -> QuarkusTransaction.requiringNew().call(() -> store(valid, mode)));
        Instant max = valid.stream().map(m -> m.at().isAfter(m.receivedAt()) ? m.receivedAt() : m.at())
                .max(Comparator.naturalOrder()).orElse(null);
        metrics.record(mode, accepted, valid.size() - accepted);
        if (mode == Mode.LIVE) {
            clock.advance(max);
        }
        return new Outcome(messages.size(), accepted, valid.size() - accepted, errors, max);
    }

    /**
     * One transaction: returns how many messages were new. Messages of erased users (docs/privacy.md) are not stored
     * and link nothing: they are dropped before routing (by their own ids) and after it (by the user they resolve to),
     * and counted with the duplicates (nothing new was stored).
     */
    private int store(List<IncomingMessage> valid, Mode mode) {
        Set<String> direct = new java.util.HashSet<>();
        valid.forEach(m -> direct.add(m.userId() != null ? m.userId() : m.rawKey()));
        Set<String> erasedKeys = personalData.erased(direct);
        List<IncomingMessage> live = erasedKeys.isEmpty() ? valid : valid.stream()
                .filter(m -> !erasedKeys.contains(m.userId() != null ? m.userId() : m.rawKey())).toList();
        List<Deduplicator.Routed> routed = identities.route(live);
        Set<String> erasedUsers = personalData.erased(routed.stream().map(Deduplicator.Routed::userId)
                .collect(java.util.stream.Collectors.toSet()));
        Map<String, Deduplicator.Routed> unique = new LinkedHashMap<>();
        for (Deduplicator.Routed r : routed) {
            if (!erasedUsers.contains(r.userId())) {
                unique.putIfAbsent(r.message().messageId(), r);
            }
        }
        Set<String> fresh = deduplicator.claim(List.copyOf(unique.values()));
        Map<String, List<Observation>> byUser = new LinkedHashMap<>();
        Instant batchMax = null;
        for (Deduplicator.Routed r : unique.values()) {
            if (fresh.contains(r.message().messageId())) {
                byUser.computeIfAbsent(r.userId(), u -> new ArrayList<>()).add(observation(r));
                Instant at = r.message().at();
                batchMax = batchMax == null || at.isAfter(batchMax) ? at : batchMax;
            }
        }
        Instant decideUpTo = mode == Mode.LIVE ? clock.watermarkWith(batchMax) : null;
        Map<String, Object> commands = new LinkedHashMap<>();
        byUser.forEach((user, observations) -> commands.put(user, new RecordActivity(user, observations, decideUpTo)));
        lifecycle.send(commands);
        return fresh.size();
    }

    private Observation observation(Deduplicator.Routed r) {
        IncomingMessage m = r.message();
        String user = r.userId();
        ActivityKind kind = ActivityKind.classify(rules.classification(), m.type(), m.event());
        boolean behaviour = BEHAVIOUR_TYPES.contains(m.type());
        ObjectNode properties = behaviour ? personalData.protectProperties(user, m.properties()) : null;
        ObjectNode traits = m.traits() == null ? null : personalData.protectTraits(user, m.traits());
        return new Observation(m.messageId(), m.type(), m.event(), m.at(), m.receivedAt(), kind, properties, traits,
                personalData.minimiseContext(m.context()), m.revenue(), m.currency(), m.itemIds(), m.groupId(), m.previousId(), r.linkedIds());
    }
}
