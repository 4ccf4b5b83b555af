package io.ulm.simulation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/**
 * What is true about a user, known only to the simulator (one NDJSON line of the truth file).
 *
 * @param lambdaPerDay       her purchase rate while alive
 * @param dropoutProbability p, P(leaving after a repeat purchase)
 * @param meanOrderValue     p_spend / ν, her expected order value
 * @param stoppedBuyingAt    her last order, after which she dropped out in the BG/NBD sense (null: still buying)
 * @param dropoutAt          her last activity once gone for good (after the browsing fade-out) (a non-activated visitor: the end of her first visit); null if
 *                           she was alive at the end (or at the instant the truth was taken)
 * @param arm                the arm of her treatment, {@link Treatment#HOLDOUT}, or null if never picked
 * @param naturalReturn      her own behaviour brought her back within the return window after the treatment
 * @param causedReturn       the treatment brought her back (a return visit generated because of it)
 */
public record GroundTruth(String userId, int index, String channel, Instant acquiredAt, boolean activated,
                          double lambdaPerDay, double dropoutProbability, double meanOrderValue, Instant stoppedBuyingAt,
                          Instant dropoutAt,
                          Map<String, Double> categoryMixture, boolean treated, String arm, Instant treatedAt,
                          boolean naturalReturn, boolean causedReturn, Instant causedReturnAt) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public boolean aliveAt(Instant t) {
        return !acquiredAt.isAfter(t) && (dropoutAt == null || dropoutAt.isAfter(t));
    }

    public String toJson() {
        ObjectNode n = MAPPER.createObjectNode().put("userId", userId).put("index", index).put("channel", channel)
                .put("acquiredAt", time(acquiredAt)).put("activated", activated).put("lambdaPerDay", lambdaPerDay)
                .put("dropoutProbability", dropoutProbability).put("meanOrderValue", meanOrderValue)
                .put("stoppedBuyingAt", time(stoppedBuyingAt)).put("dropoutAt", time(dropoutAt));
        ObjectNode mixture = n.putObject("categoryMixture");
        categoryMixture.forEach(mixture::put);
        n.put("treated", treated).put("arm", arm).put("treatedAt", time(treatedAt)).put("naturalReturn", naturalReturn)
                .put("causedReturn", causedReturn).put("causedReturnAt", time(causedReturnAt));
        try {
            return MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String time(Instant at) {
        return at == null ? null : Messages.timestamp(at.toEpochMilli());
    }
}
