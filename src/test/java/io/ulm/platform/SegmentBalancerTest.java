package io.ulm.platform;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The fair share of segments per node (the live-node count itself is exercised by the failover IT). */
class SegmentBalancerTest {

    @Test
    void sixSegmentsOnThreeNodesAreTwoEach() {
        List<String> nodes = List.of("ulm-node:b", "ulm-node:a", "ulm-node:c");
        assertThat(nodes).extracting(n -> SegmentBalancer.share(6, nodes, n)).containsExactly(2, 2, 2);
    }

    @Test
    void theRemainderGoesToTheFirstNodesByName() {
        List<String> nodes = List.of("ulm-node:c", "ulm-node:a", "ulm-node:b");
        assertThat(nodes).extracting(n -> SegmentBalancer.share(4, nodes, n)).containsExactly(1, 2, 1);
        // the shares always add up to every segment
        for (int segments = 1; segments <= 16; segments++) {
            int total = 0;
            for (String n : nodes) {
                total += SegmentBalancer.share(segments, nodes, n);
            }
            assertThat(total).as("segments %d", segments).isEqualTo(Math.max(segments, 3));
        }
    }

    @Test
    void aNodeNotYetListedCountsItself() {
        assertThat(SegmentBalancer.share(6, List.of("ulm-node:a"), "ulm-node:b")).isEqualTo(3);
        assertThat(SegmentBalancer.share(6, List.of(), "ulm-node:a")).isEqualTo(6);
    }

    @Test
    void aSurvivorTakesTheDeadNodesShare() {
        assertThat(SegmentBalancer.share(6, List.of("ulm-node:a", "ulm-node:b", "ulm-node:c"), "ulm-node:a")).isEqualTo(2);
        assertThat(SegmentBalancer.share(6, List.of("ulm-node:a", "ulm-node:c"), "ulm-node:a")).isEqualTo(3);
    }

    @Test
    void fewerSegmentsThanNodesStillLetEveryNodeClaimOne() {
        List<String> nodes = List.of("ulm-node:a", "ulm-node:b", "ulm-node:c");
        assertThat(nodes).extracting(n -> SegmentBalancer.share(1, nodes, n)).containsOnly(1);
    }

    @Test
    void applicationNamesFitPostgresLimit() {
        assertThat(SegmentBalancer.applicationName("4242@host")).isEqualTo("ulm-node:4242@host");
        assertThat(SegmentBalancer.applicationName("1@" + "h".repeat(100))).hasSize(63).startsWith("ulm-node:1@h");
    }
}
