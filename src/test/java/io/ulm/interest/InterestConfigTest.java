package io.ulm.interest;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.ulm.platform.UlmConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The interest settings live in their own mapping ({@code ulm.interests.*}) beside {@link UlmConfig} ({@code ulm.*}):
 * setting them must not trip UlmConfig's check for unknown {@code ulm.} properties, and the defaults are documented.
 */
class InterestConfigTest {

    private static SmallRyeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withMapping(UlmConfig.class).withMapping(InterestConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 100)).build();
    }

    @Test
    void defaults() {
        InterestConfig c = config(Map.of("ulm.privacy.personal-traits", "email")).getConfigMapping(InterestConfig.class);
        assertThat(c.textProperties()).containsExactly("tag", "tags", "review", "comment");
        assertThat(c.minTermLength()).isEqualTo(2);
        assertThat(c.stopWords()).isEmpty();
        assertThat(c.ownTextWeight()).isEqualTo(2);
        assertThat(c.keywordMinCount()).isEqualTo(2);
        assertThat(c.keywordMinDf()).isEqualTo(2);
        assertThat(c.refreshEvery()).isEqualTo("5m");
        assertThat(c.topics().k()).isEqualTo(20);
        assertThat(c.topics().alpha()).isEqualTo(0.1);
        assertThat(c.topics().beta()).isEqualTo(0.01);
        assertThat(c.topics().iterations()).isEqualTo(1000);
        assertThat(c.topics().seed()).isEqualTo(42);
        assertThat(c.topics().refitCron()).isEqualTo("off");
    }

    @Test
    void overridesBesideUlmConfig() {
        SmallRyeConfig config = config(Map.of("ulm.privacy.personal-traits", "email", "ulm.interests.topics.k", "12",
                "ulm.interests.stop-words", "set,pack", "ulm.interests.text-properties", "review", "ulm.axon.segments", "4"));
        InterestConfig c = config.getConfigMapping(InterestConfig.class);
        assertThat(c.topics().k()).isEqualTo(12);
        assertThat(c.stopWords()).contains(List.of("set", "pack"));
        assertThat(c.textProperties()).containsExactly("review");
        assertThat(config.getConfigMapping(UlmConfig.class).axon().segments()).isEqualTo(4);
    }
}
