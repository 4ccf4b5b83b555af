package io.ulm.catalogue;

import io.ulm.catalogue.api.ItemCatalogued;
import io.ulm.lifecycle.api.ActivityRecorded;
import io.ulm.platform.Projection;
import jakarta.enterprise.context.ApplicationScoped;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.util.List;

/**
 * Builds the {@code item} table (projections/sql/V6__catalogue.sql) from {@link ItemCatalogued} and from the
 * items named in behaviour events (created on the fly with source 'seen'). Each batch is merged in memory and
 * written with the processor's token, in its transaction; a replay rebuilds the same rows.
 */
@ApplicationScoped
@ProcessingGroup(CatalogueProjection.NAME)
public class CatalogueProjection implements Projection {

    public static final String NAME = "catalogue";
    private static final String BATCH = CatalogueBatch.class.getName();

    private final CatalogueWriter writer;

    CatalogueProjection(CatalogueWriter writer) {
        this.writer = writer;
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
        return CatalogueWriter.TABLES;
    }

    @Override
    public Projection shadow(String schema) {
        return new CatalogueProjection(writer.in(schema));
    }

    @EventHandler
    void on(ItemCatalogued e) {
        batch().on(e);
    }

    @EventHandler
    void on(ActivityRecorded e) {
        batch().on(e);
    }

    /** The batch of the current unit of work, written once just before it commits. */
    private CatalogueBatch batch() {
        UnitOfWork<?> uow = CurrentUnitOfWork.get().root();
        return uow.getOrComputeResource(BATCH, key -> {
            CatalogueBatch batch = new CatalogueBatch();
            uow.onPrepareCommit(u -> writer.write(batch));
            return batch;
        });
    }
}
