package io.ulm.simulation;

import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The seeded behaviour simulator (docs/simulation.md). It runs incrementally in event time: {@link #advanceTo}
 * emits, in global time order, every message before an instant, then the caller may act (ingest, decide treatments)
 * and continue. Users are admitted in acquisition order and leave memory when they drop out, so memory is bounded by
 * the users alive at once (a few hundred bytes each) plus 32 bytes per user for the truth, never by messages.
 * Not thread-safe: one thread drives it.
 */
public final class Simulator {

    private static final Comparator<Process> ORDER = Comparator.comparingLong((Process p) -> p.nextAt)
            .thenComparingInt(Process::userIndex).thenComparingInt(Process::rank);

    private final SimulationSettings settings;
    private final TreatmentSource treatments;
    private final Catalogue catalogue;
    private final long endMillis;
    private final PriorityQueue<Process> queue = new PriorityQueue<>(ORDER);
    /** Per user: dropout instant once known (MIN_VALUE: alive or not yet acquired); her live process while alive. */
    private final long[] dropoutAt;
    private final long[] stoppedBuyingAt;
    private final UserProcess[] live;
    private final Map<Integer, TreatmentOutcome> outcomes = new HashMap<>();
    private UserProfile nextUser;
    private int admitted;
    private long now;
    private int ignoredTreatments;

    public Simulator(SimulationSettings settings) {
        this(settings, TreatmentSource.none());
    }

    public Simulator(SimulationSettings settings, TreatmentSource treatments) {
        this.settings = settings;
        this.treatments = treatments;
        this.catalogue = new Catalogue(settings);
        this.endMillis = settings.end().toEpochMilli();
        this.dropoutAt = new long[settings.users()];
        Arrays.fill(dropoutAt, Long.MIN_VALUE);
        this.stoppedBuyingAt = dropoutAt.clone();
        this.live = new UserProcess[settings.users()];
        this.now = settings.start().toEpochMilli();
        this.nextUser = settings.users() > 0 ? UserProfile.draw(settings, 0) : null;
    }

    public SimulationSettings settings() {
        return settings;
    }

    public Catalogue catalogue() {
        return catalogue;
    }

    /** Every message before this instant has been emitted. */
    public Instant now() {
        return Instant.ofEpochMilli(now);
    }

    public boolean finished() {
        return now >= endMillis;
    }

    /** Treatments not applied: unknown or not yet acquired user, or a second treatment of the same user. */
    public int ignoredTreatments() {
        return ignoredTreatments;
    }

    /**
     * Applies the treatments due at {@link #now()}, then emits every message before {@code until} (at most the end)
     * in order of (time, user index, natural before caused).
     */
    public void advanceTo(Instant until, Consumer<SimulatedMessage> sink) {
        long limit = Math.min(until.toEpochMilli(), endMillis);
        applyTreatments();
        for (SimulatedMessage m = nextBefore(limit); m != null; m = nextBefore(limit)) {
            sink.accept(m);
        }
        now = Math.max(now, limit);
    }

    /** Runs to the end, asking the treatment source every {@code winback.pollEvery} of event time. */
    public void run(Consumer<SimulatedMessage> sink) {
        long step = settings.winback().pollEvery().toMillis();
        while (!finished()) {
            advanceTo(Instant.ofEpochMilli(now + step), sink);
        }
    }

    /** The rest of the messages as a lazy stream (same order and treatment polling as {@link #run}). */
    public Stream<SimulatedMessage> stream() {
        Iterator<SimulatedMessage> it = new Iterator<>() {
            private SimulatedMessage next;
            private boolean started;

            @Override
            public boolean hasNext() {
                if (!started) {
                    started = true;
                    applyTreatments();
                }
                while (next == null && !finished()) {
                    long limit = Math.min(now + settings.winback().pollEvery().toMillis(), endMillis);
                    next = nextBefore(limit);
                    if (next == null) {
                        now = limit;
                        applyTreatments();
                    }
                }
                return next != null;
            }

            @Override
            public SimulatedMessage next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                SimulatedMessage m = next;
                next = null;
                return m;
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /**
     * The truth of every user acquired so far, in index order, drawn again from the seed (profiles are not kept).
     * Dropout times are final for dropped-out users; users alive now have none.
     */
    public Stream<GroundTruth> truth() {
        return IntStream.range(0, admitted).mapToObj(this::truthOf);
    }

    /** The index in a user id {@code <prefix>-<index>} of this simulation, or −1. */
    public int indexOf(String userId) {
        String prefix = settings.idPrefix() + "-";
        if (!userId.startsWith(prefix)) {
            return -1;
        }
        try {
            int index = Integer.parseInt(userId.substring(prefix.length()));
            return index >= 0 && index < settings.users() ? index : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private SimulatedMessage nextBefore(long limit) {
        while (nextUser != null && nextUser.acquiredAtMillis() < limit
                && (queue.isEmpty() || nextUser.acquiredAtMillis() <= queue.peek().nextAt)) {
            admit(nextUser);
        }
        Process head = queue.peek();
        if (head == null || head.nextAt >= limit) {
            return null;
        }
        queue.poll();
        SimulatedMessage message = head.emit();
        if (!head.finished() && head.nextAt < endMillis) {
            queue.add(head);
        } else if (head instanceof UserProcess user) {
            dropoutAt[user.userIndex()] = user.dropoutAt();
            stoppedBuyingAt[user.userIndex()] = user.purchaseDropoutAt();
            live[user.userIndex()] = null;
        }
        return message;
    }

    private void admit(UserProfile user) {
        UserProcess process = new UserProcess(settings, catalogue, user);
        live[user.index()] = process;
        queue.add(process);
        admitted++;
        nextUser = admitted < settings.users() ? UserProfile.draw(settings, admitted) : null;
    }

    private void applyTreatments() {
        List<Treatment> due = treatments.poll(now());
        for (Treatment t : due) {
            int index = indexOf(t.userId());
            if (index < 0 || index >= admitted || outcomes.containsKey(index)) {
                ignoredTreatments++;
                continue;
            }
            apply(index, t);
        }
    }

    private void apply(int index, Treatment t) {
        long at = Math.max(now, t.at().toEpochMilli());
        long window = settings.winback().returnWindow().toMillis();
        TreatmentOutcome outcome = new TreatmentOutcome(at, t.arm(), t.holdout(), window);
        outcomes.put(index, outcome);
        if (live[index] != null) {
            live[index].treated(outcome);
        }
        if (t.holdout()) {
            return;
        }
        double effect = settings.arm(t.arm()).extraReturnProbability();
        Randomness stream = Randomness.of(settings.seed(), index, Randomness.Stream.TREATMENT);
        // both draws always made, so the return time does not depend on the arm's effect size
        boolean returns = stream.nextDouble() < effect;
        long returnAt = at + (long) (stream.nextDouble() * window);
        if (returns && returnAt < endMillis) {
            outcome.caused(returnAt);
            queue.add(new ReturnProcess(settings, catalogue, UserProfile.draw(settings, index), stream, returnAt));
        }
    }

    private GroundTruth truthOf(int index) {
        UserProfile p = UserProfile.draw(settings, index);
        Map<String, Double> mixture = new LinkedHashMap<>();
        for (int k = 0; k < p.mixture().length; k++) {
            mixture.put(catalogue.categories().get(k), p.mixture()[k]);
        }
        TreatmentOutcome o = outcomes.get(index);
        long stoppedBuying = live[index] != null ? live[index].purchaseDropoutAt() : stoppedBuyingAt[index];
        return new GroundTruth(p.userId(), index, settings.channels().get(p.channel()).name(),
                Instant.ofEpochMilli(p.acquiredAtMillis()), p.activated(), p.lambda(), p.dropout(),
                p.meanOrderValue(settings), instant(stoppedBuying), instant(dropoutAt[index]), mixture, o != null && !o.holdout,
                o == null ? null : o.arm, o == null ? null : Instant.ofEpochMilli(o.treatedAt),
                o != null && o.naturalReturn(), o != null && o.causedReturn(),
                o == null ? null : instant(o.causedReturnAt()));
    }

    private static Instant instant(long millis) {
        return millis == Long.MIN_VALUE ? null : Instant.ofEpochMilli(millis);
    }
}
