package io.ulm.audit;

import io.ulm.lifecycle.ActivityKind;
import io.ulm.lifecycle.Cursor;
import io.ulm.lifecycle.Stage;
import io.ulm.lifecycle.api.ActivityRecorded;
import io.ulm.lifecycle.api.AliasRecorded;
import io.ulm.lifecycle.api.GroupJoined;
import io.ulm.lifecycle.api.IdentityLinked;
import io.ulm.lifecycle.api.StageChanged;
import io.ulm.lifecycle.api.TraitsUpdated;
import io.ulm.lifecycle.api.UserAcquired;
import io.ulm.lifecycle.api.UserErased;
import io.ulm.platform.Json;
import io.ulm.projection.ProfileFold;
import io.ulm.projection.ProfileResource;
import io.ulm.projection.UserProfileProjection;
import org.axonframework.eventhandling.EventHandler;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The as-of profile folds with the projection's own fold ({@link ProfileFold} over ProfileBatch.Delta): every event
 * type the projection handles must be folded in memory too, or a past profile would miss it.
 */
class ProfileFoldCoverageTest {

    private static final Instant T = Instant.parse("2024-03-01T10:00:00.123456789Z");

    private static Map<Class<?>, Object> samples() {
        Map<Class<?>, Object> s = new LinkedHashMap<>();
        s.put(ActivityRecorded.class, new ActivityRecorded("ada", "m1", "track", "Order Completed", T, T,
                new ActivityKind(true, true, true, false), null, null, new BigDecimal("12.345678"), "EUR", List.of("sku-1"), false));
        s.put(TraitsUpdated.class, new TraitsUpdated("ada", "m2", T, Json.mapper().createObjectNode().put("plan", "pro"), null));
        s.put(GroupJoined.class, new GroupJoined("ada", "m3", T, "acme", null));
        s.put(AliasRecorded.class, new AliasRecorded("ada", "m4", T, "old"));
        s.put(IdentityLinked.class, new IdentityLinked("ada", "old", "alias", "m4", T));
        s.put(UserAcquired.class, new UserAcquired("ada", T, "m1"));
        s.put(StageChanged.class, new StageChanged("ada", null, Stage.ACQUIRED, T, "acquired", Map.of(), "m1", null,
                new Cursor(T, "m1", 0)));
        return s;
    }

    @Test
    void afterUserErasedTheFoldIsEmptyAsTheReadModelIs() {
        ProfileFold fold = new ProfileFold("ada");
        long position = 0;
        for (Object event : samples().values()) {
            fold.apply(event, position++);
        }
        assertThat(fold.isEmpty()).isFalse();
        assertThat(fold.apply(new UserErased("ada", "erased:5b0c7a3e-2f7d-4c61-9a53-0e7b1d2c9f10", T, "admin"), position)).isTrue();
        assertThat(fold.isEmpty()).isTrue();
    }

    /** Events the fold reads besides the samples (UserErased: tested on its own above). */
    private static final Set<String> SPECIAL = Set.of(UserErased.class.getName());

    @Test
    void theFoldReadsEveryEventTypeTheProjectionHandles() {
        Set<String> handled = new TreeSet<>();
        for (Method m : UserProfileProjection.class.getDeclaredMethods()) {
            if (m.isAnnotationPresent(EventHandler.class)) {
                handled.add(m.getParameterTypes()[0].getName());
            }
        }
        Set<String> folded = new TreeSet<>();
        samples().keySet().forEach(c -> folded.add(c.getName()));
        folded.addAll(SPECIAL);
        assertThat(folded).as("event types ProfileFold is tested with = the projection's @EventHandler types").isEqualTo(handled);

        ProfileFold fold = new ProfileFold("ada");
        assertThat(fold.isEmpty()).isTrue();
        long position = 0;
        for (Object event : samples().values()) {
            assertThat(fold.apply(event, position++)).as("ProfileFold.apply(" + event.getClass().getSimpleName() + ")").isTrue();
        }
        assertThat(fold.apply("something else", position)).isFalse();

        ProfileResource.ProfileView view = fold.view(null);
        assertThat(view.messages()).isEqualTo(4);
        assertThat(view.purchases()).isEqualTo(1);
        assertThat(view.revenue()).as("numeric(19,4), as the read model stores it").isEqualByComparingTo("12.3457");
        assertThat(view.revenue().scale()).isEqualTo(4);
        assertThat(view.stage()).isEqualTo("ACQUIRED");
        assertThat(view.stageSince()).as("timestamptz keeps microseconds (rounded)").isEqualTo(Instant.parse("2024-03-01T10:00:00.123457Z"));
        assertThat(view.linkedIds()).containsExactly("old");
        assertThat(view.traits().path("groupId").asText()).isEqualTo("acme");
        assertThat(view.counts()).containsEntry("track", Map.of("Order Completed", 1L)).containsEntry("alias", Map.of("", 1L));
        assertThat(view.asOf()).isNull();
    }
}
