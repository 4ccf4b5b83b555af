package io.ulm.segment;

import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The R × F grid of docs/segments.md: every cell has exactly one of the eleven segments. */
class RfmGridTest {

    @Test
    void everyCellHasExactlyOneSegmentAndEverySegmentACell() {
        Map<Rfm.Named, Integer> cells = new EnumMap<>(Rfm.Named.class);
        for (int r = 1; r <= 5; r++) {
            for (int f = 1; f <= 5; f++) {
                int matches = 0;
                for (Rfm.Named n : Rfm.Named.values()) {
                    if (r >= n.rMin && r <= n.rMax && f >= n.fMin && f <= n.fMax) {
                        matches++;
                        cells.merge(n, 1, Integer::sum);
                    }
                }
                assertThat(matches).as("R %d F %d", r, f).isEqualTo(1);
            }
        }
        assertThat(cells).hasSize(11);
        assertThat(cells.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(25);
    }

    @Test
    void theDocumentedTable() {
        // rows R = 5..1, columns F = 1..5, as printed in docs/segments.md
        String[][] grid = {
                {"new", "potential-loyalist", "potential-loyalist", "champions", "champions"},
                {"promising", "potential-loyalist", "potential-loyalist", "loyal", "loyal"},
                {"about-to-sleep", "about-to-sleep", "need-attention", "loyal", "loyal"},
                {"hibernating", "hibernating", "at-risk", "at-risk", "cant-lose"},
                {"lost", "lost", "at-risk", "at-risk", "cant-lose"}};
        for (int row = 0; row < 5; row++) {
            for (int col = 0; col < 5; col++) {
                assertThat(Rfm.Named.of(5 - row, col + 1).slug).as("R %d F %d", 5 - row, col + 1).isEqualTo(grid[row][col]);
            }
        }
        assertThat(Rfm.Named.CANT_LOSE.segmentId()).isEqualTo("rfm:cant-lose");
        assertThat(Rfm.Named.LOYAL.description()).isEqualTo("R 3-4, F 4-5");
    }
}
