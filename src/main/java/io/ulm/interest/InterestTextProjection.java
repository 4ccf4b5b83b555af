package io.ulm.interest;

import io.ulm.lifecycle.api.ActivityRecorded;
import io.ulm.platform.Projection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.util.List;

/**
 * The event-derived half of the text interests: per user, how often she engaged with each item, and the
 * terms of her own text (tags, reviews, comments). Item titles and descriptions are NOT read here: the
 * catalogue is another projection (and another processor) whose rows may arrive after the events or change
 * later, so joining them at processing time would make this read model depend on timing, and a replay would
 * not rebuild it. Item text is joined at read time and by the refresh ({@link InterestIndex}) instead.
 * Each batch is folded in memory and written in the processor's transaction, with its token.
 */
@ApplicationScoped
@ProcessingGroup(InterestTextProjection.NAME)
public class InterestTextProjection implements Projection {

    public static final String NAME = "interest-text";

    private final InterestWriter writer;
    private final TextAnalyzer analyzer;
    private final List<String> textProperties;

    @Inject
    InterestTextProjection(InterestWriter writer, InterestConfig config) {
        this(writer, TextAnalyzer.of(config), List.copyOf(config.textProperties()));
    }

    private InterestTextProjection(InterestWriter writer, TextAnalyzer analyzer, List<String> textProperties) {
        this.writer = writer;
        this.analyzer = analyzer;
        this.textProperties = textProperties;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    @ResetHandler
    public void reset() {
        writer.reset();
    }

    @Override
    public List<String> tables() {
        return InterestWriter.TABLES;
    }

    @Override
    public Projection shadow(String schema) {
        return new InterestTextProjection(writer.in(schema), analyzer, textProperties);
    }

    /** Erasure: her rows go after this batch's writes (docs/privacy.md); a replay does the same at the same point. */
    @EventHandler
    void on(io.ulm.lifecycle.api.UserErased e) {
        io.ulm.platform.privacy.UserRows.afterBatch(() -> writer.erase(e.userId()));
    }

    @EventHandler
    void on(ActivityRecorded e) {
        batch().on(e, analyzer, textProperties);
    }

    /** The batch of the current unit of work, written once just before it commits. */
    private InterestBatch batch() {
        UnitOfWork<?> uow = CurrentUnitOfWork.get().root();
        // keyed by schema: a shadow copy (replay audit) never shares a batch with the live projection
        return uow.getOrComputeResource(InterestBatch.class.getName() + "@" + writer.schema(), key -> {
            InterestBatch batch = new InterestBatch();
            uow.onPrepareCommit(u -> writer.write(batch));
            return batch;
        });
    }
}
