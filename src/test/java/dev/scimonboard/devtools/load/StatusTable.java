package dev.scimonboard.devtools.load;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Reads the onboardings' status entities straight from the table, not through the product's code. */
public final class StatusTable {
    /** How often {@link #awaitEnded} reads the table. */
    public static final Duration POLL_INTERVAL = Duration.ofSeconds(2);
    /** How often {@link #awaitEnded} reports progress. */
    public static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(15);

    private final Supplier<TableClient> table;

    /**
     * Creates the reader.
     *
     * @param table supplies a client of the status table
     */
    public StatusTable(Supplier<TableClient> table) {
        this.table = table;
    }

    /**
     * Every status entity.
     *
     * @return entities by account id
     */
    public Map<String, TableEntity> entities() {
        Map<String, TableEntity> entities = new HashMap<>();
        for (TableEntity entity : table.get().listEntities()) {
            entities.put(entity.getPartitionKey(), entity);
        }
        return entities;
    }

    /**
     * Waits until every onboarding of the given accounts has succeeded or failed, reading the table every
     * {@link #POLL_INTERVAL}; a read that fails (storage restarting) is tried again.
     *
     * @param accounts the accounts
     * @param timeout how long to wait at most
     * @param progress receives the number of accounts in each state every {@link #PROGRESS_INTERVAL}
     * @return each account's final state
     * @throws IllegalStateException when they have not all ended in time
     */
    public Map<String, String> awaitEnded(Collection<String> accounts, Duration timeout,
        Consumer<Map<String, Long>> progress) {
        Instant deadline = Instant.now().plus(timeout);
        Instant lastReport = Instant.EPOCH;
        while (true) {
            Map<String, String> states = new HashMap<>();
            try {
                entities().forEach((account, entity) -> states.put(account, (String) entity.getProperty("state")));
            } catch (RuntimeException e) {
                Waits.pause(Duration.ofSeconds(1));
                continue;
            }
            long ended = accounts.stream().map(states::get).filter(StatusTable::ended).count();
            if (ended == accounts.size()) {
                return states;
            }
            if (Duration.between(lastReport, Instant.now()).compareTo(PROGRESS_INTERVAL) >= 0) {
                Map<String, Long> byState = new TreeMap<>();
                accounts.forEach(a -> byState.merge(String.valueOf(states.get(a)), 1L, Long::sum));
                progress.accept(byState);
                lastReport = Instant.now();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("onboardings did not end in " + timeout);
            }
            Waits.pause(POLL_INTERVAL);
        }
    }

    /**
     * Whether a state is final.
     *
     * @param state a status document's state, possibly null
     * @return true for succeeded and failed
     */
    public static boolean ended(String state) {
        return "succeeded".equals(state) || "failed".equals(state);
    }
}
