package io.ulm.platform;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.ulm.catalogue.CatalogueItem;
import io.ulm.lifecycle.LifecycleRules;
import io.ulm.lifecycle.UserLifecycle;
import io.ulm.winback.WinbackSaga;
import io.ulm.winback.WinbackServices;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.modelling.saga.repository.jdbc.JdbcSagaStore;
import org.axonframework.modelling.saga.repository.jdbc.PostgresSagaSqlSchema;
import org.axonframework.modelling.saga.repository.jdbc.SagaSchema;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.AggregateSnapshotter;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.GenericAggregateFactory;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import io.ulm.platform.upcasting.Upcasters;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.lang.management.ManagementFactory;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * Axon Framework configured in CDI without Spring and without Axon Server: the JDBC event store,
 * snapshots and token store on PostgreSQL, Jackson serialisation, Axon transactions on JTA, and
 * pooled streaming processors for the projections. Started after Flyway has migrated the schema,
 * stopped before the datasource and the embedded PostgreSQL.
 */
@ApplicationScoped
public class AxonRuntime {

    private static final Logger LOG = Logger.getLogger(AxonRuntime.class);

    private final Configuration configuration;

    private final AggregateCache aggregateCache;
    /** Null when segment balancing is off. */
    private final SegmentBalancer balancer;
    private final String nodeId;
    private final List<String> projectionNames = new java.util.ArrayList<>();
    private final List<String> relayNames = new java.util.ArrayList<>();

    AxonRuntime(DataSource dataSource, TransactionManager jta, TransactionSynchronizationRegistry synchronizations,
                LifecycleRules rules, UlmConfig config, Instance<Projection> projections, Instance<Relay> relays,
                WinbackServices winback) {
        System.setProperty("disable-axoniq-console-message", "true");
        JtaTransactionManager transactions = new JtaTransactionManager(jta);
        ConnectionProvider connections = dataSource::getConnection;
        JacksonSerializer serializer = JacksonSerializer.builder().objectMapper(Json.mapper()).build();
        UlmConfig.Axon axon = config.axon();
        // the owner of this node's segment claims: distinct per process (UlmMain sets it to pid@host by default)
        this.nodeId = axon.nodeId().orElseGet(() -> ManagementFactory.getRuntimeMXBean().getName());
        this.balancer = axon.balanceSegments()
                ? new SegmentBalancer(nodeId, connections, axon.segments(), axon.balanceInterval()) : null;
        long claimInterval = axon.tokenClaimInterval().toMillis();
        this.aggregateCache = new AggregateCache(axon.cachedAggregates());
        Executor snapshots = new AfterCommitExecutor(synchronizations,
                Executors.newSingleThreadExecutor(r -> new Thread(r, "ulm-snapshotter")));

        Configurer configurer = DefaultConfigurer.defaultConfiguration(false)
                .configureSerializer(c -> serializer)
                .configureEventSerializer(c -> serializer)
                .configureMessageSerializer(c -> serializer)
                .configureTransactionManager(c -> transactions)
                // no correlation/trace ids copied into every event's metadata: ULM's events carry their own
                // causation (messageId, causeMessageId), and the metadata cost is paid on every read
                .configureCorrelationDataProviders(c -> List.of())
                .registerComponent(LifecycleRules.class, c -> rules)
                // the embedded store, waking its reader after the JTA commit (JtaEmbeddedEventStore says why)
                .configureEventStore(c -> {
                    JtaEmbeddedEventStore store = new JtaEmbeddedEventStore(EmbeddedEventStore.builder()
                            .storageEngine(JdbcEventStorageEngine.builder()
                                    .connectionProvider(connections)
                                    .transactionManager(transactions)
                                    .eventSerializer(serializer)
                                    .snapshotSerializer(serializer)
                                    .persistenceExceptionResolver(duplicateKeys())
                                    .schema(eventSchema())
                                    .batchSize(axon.batchSize())
                                    // older revisions of domain events are upcast on read (docs/schema-evolution.md)
                                    .upcasterChain(new EventUpcasterChain(Upcasters.all()))
                                    .build()), synchronizations);
                    c.onShutdown(store::shutDown);
                    return store;
                })
                .registerComponent(TokenStore.class, c -> JdbcTokenStore.builder()
                        .connectionProvider(connections)
                        .serializer(serializer)
                        .schema(tokenSchema())
                        .contentType(byte[].class)
                        .nodeId(nodeId)
                        .claimTimeout(axon.claimTimeout())
                        .build())
                // Snapshots are taken on their own thread and transaction, after the command's: a failed
                // snapshot must never roll back the messages it was triggered by.
                .configureSnapshotter(c -> AggregateSnapshotter.builder()
                        .eventStore(c.eventStore())
                        .transactionManager(transactions)
                        .aggregateFactories(new GenericAggregateFactory<>(AnnotatedAggregateMetaModelFactory.inspectAggregate(
                                UserLifecycle.class, c.parameterResolverFactory(), c.handlerDefinition(UserLifecycle.class))))
                        .repositoryProvider(c::repository)
                        .parameterResolverFactory(c.parameterResolverFactory())
                        .handlerDefinition(c.handlerDefinition(UserLifecycle.class))
                        .executor(snapshots)
                        .build())
                .configureAggregate(AggregateConfigurer.defaultConfiguration(UserLifecycle.class)
                        .configureCache(c -> aggregateCache)
                        .configureSnapshotTrigger(c -> new EventCountSnapshotTriggerDefinition(c.snapshotter(), axon.snapshotThreshold())))
                // catalogue items (reference data in the log, so read models replay identically); few events each, no snapshots
                .configureAggregate(AggregateConfigurer.defaultConfiguration(CatalogueItem.class));
        for (Projection projection : projections) {
            // each projection is its own processing group and processor, so it can be replayed on its own
            configurer.eventProcessing()
                    .registerPooledStreamingEventProcessor(projection.name(), Configuration::eventStore,
                            (c, builder) -> balanced(builder.initialSegmentCount(axon.segments()).batchSize(axon.batchSize())
                                    .tokenClaimInterval(claimInterval)))
                    .assignHandlerInstancesMatching(projection.name(), handler -> handler == projection)
                    .registerEventHandler(c -> projection);
            projectionNames.add(projection.name());
        }
        for (Relay relay : relays) {
            if (relay.enabled()) {
                registerRelay(configurer, relay, claimInterval);
            }
        }
        registerWinbackSaga(configurer, connections, serializer, winback, claimInterval);
        this.configuration = configurer.buildConfiguration();
    }

    /**
     * The win-back saga (docs/winback.md): its own processor, like a relay (head of the log when it has no token, one
     * segment, errors retry the batch), never a {@link Projection}, so projection replays never run it; its state in
     * PostgreSQL (JDBC saga store, tables of V12__winback.sql) in the same transaction as its outbox rows and token.
     * Waits are in event time (winback_step, decision 0007): no deadline manager.
     */
    private void registerWinbackSaga(Configurer configurer, ConnectionProvider connections, JacksonSerializer serializer,
                                     WinbackServices winback, long claimInterval) {
        configurer.eventProcessing()
                .registerPooledStreamingEventProcessor(WinbackSaga.PROCESSOR, Configuration::eventStore,
                        (c, builder) -> builder.initialSegmentCount(1).batchSize(100).tokenClaimInterval(claimInterval)
                                .initialToken(StreamableMessageSource::createHeadToken))
                .registerListenerInvocationErrorHandler(WinbackSaga.PROCESSOR, c -> PropagatingErrorHandler.instance())
                .registerSaga(WinbackSaga.class, saga -> saga.configureSagaStore(c -> JdbcSagaStore.builder()
                        .connectionProvider(connections)
                        .sqlSchema(new PostgresSagaSqlSchema(sagaSchema()))
                        .serializer(serializer)
                        .build()));
        configurer.configureResourceInjector(c -> saga -> {
            if (saga instanceof WinbackSaga w) {
                w.inject(winback, c.eventStore());
            }
        });
        relayNames.add(WinbackSaga.PROCESSOR);
    }

    static SagaSchema sagaSchema() {
        return SagaSchema.builder()
                .sagaEntryTable("winback_saga").associationValueEntryTable("winback_saga_association")
                .sagaIdColumn("saga_id").sagaTypeColumn("saga_type").revisionColumn("revision")
                .serializedSagaColumn("serialized_saga").associationKeyColumn("association_key")
                .associationValueColumn("association_value")
                .build();
    }

    /**
     * A relay starts at the head of the log (switching Kafka on does not publish the whole history), runs one segment
     * (one ordered stream) with small batches (what a batch sent is awaited before its token moves), and propagates
     * handler errors so that the batch is retried rather than skipped: at-least-once.
     */
    private void registerRelay(Configurer configurer, Relay relay, long claimInterval) {
        configurer.eventProcessing()
                .registerPooledStreamingEventProcessor(relay.name(), Configuration::eventStore,
                        (c, builder) -> builder.initialSegmentCount(1).batchSize(100).tokenClaimInterval(claimInterval)
                                .initialToken(StreamableMessageSource::createHeadToken))
                .registerListenerInvocationErrorHandler(relay.name(), c -> PropagatingErrorHandler.instance())
                .assignHandlerInstancesMatching(relay.name(), handler -> handler == relay)
                .registerEventHandler(c -> relay);
        relayNames.add(relay.name());
    }

    /** A projection claims its fair share of segments among the live nodes (docs/scaling.md). */
    private PooledStreamingEventProcessor.Builder balanced(PooledStreamingEventProcessor.Builder builder) {
        return balancer == null ? builder : builder.maxSegmentProvider(balancer);
    }

    void start(@Observes @Priority(10) StartupEvent event) {
        if (balancer != null) {
            balancer.start();
        }
        configuration.start();
        LOG.info("Axon started (node " + nodeId + "): JDBC event store on PostgreSQL, projections " + projectionNames
                + (relayNames.isEmpty() ? "" : ", relays " + relayNames));
    }

    void stop(@Observes @Priority(10) ShutdownEvent event) {
        configuration.shutdown();
        if (balancer != null) {
            balancer.stop();
        }
    }

    @Produces
    @Singleton
    CommandGateway commandGateway() {
        return configuration.commandGateway();
    }

    @Produces
    @Singleton
    EventStore eventStore() {
        return configuration.eventStore();
    }

    /** The cache of loaded user aggregates, validated by LifecycleCommands against committed versions. */
    @Produces
    @Singleton
    AggregateCache aggregateCache() {
        return aggregateCache;
    }

    public Configuration configuration() {
        return configuration;
    }

    static EventSchema eventSchema() {
        return EventSchema.builder()
                .eventTable("domain_event_entry").snapshotTable("snapshot_event_entry")
                .globalIndexColumn("global_index").timestampColumn("time_stamp")
                .eventIdentifierColumn("event_identifier").aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number").typeColumn("type")
                .payloadTypeColumn("payload_type").payloadRevisionColumn("payload_revision")
                .payloadColumn("payload").metaDataColumn("meta_data")
                .build();
    }

    static TokenSchema tokenSchema() {
        return TokenSchema.builder()
                .setTokenTable("token_entry").setProcessorNameColumn("processor_name")
                .setSegmentColumn("segment").setTokenColumn("token").setTokenTypeColumn("token_type")
                .setTimestampColumn("timestamp").setOwnerColumn("owner")
                .build();
    }

    /** PostgreSQL reports unique violations as SQLState 23505 (not as SQLIntegrityConstraintViolationException). */
    static PersistenceExceptionResolver duplicateKeys() {
        return e -> {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                    return true;
                }
            }
            return false;
        };
    }
}
