package dev.scimonboard.graph;

import dev.scimonboard.RetryAfter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Spends Microsoft Graph's write budget evenly: every request other than a read waits for its slot, at most the
 * configured number a second, so the onboardings of one process meet few 429s instead of retrying whole steps. A 429
 * that still comes back holds every write of the process for its Retry-After. Reads are never held.
 *
 * <p>The budget belongs to the app and tenant, not to one process: with several instances, each gets its share
 * through {@code GRAPH_WRITES_PER_SECOND}, and the 429 handling of the steps covers the rest.
 */
final class GraphWriteBudget implements Interceptor {
    private final long intervalNanos;
    private final long burstNanos;
    private long nextSlot;

    /**
     * Creates the budget.
     *
     * @param writesPerSecond the most writes a second this process sends
     */
    GraphWriteBudget(int writesPerSecond) {
        this.intervalNanos = Duration.ofSeconds(1).toNanos() / writesPerSecond;
        // Up to a second's worth may go at once after a quiet spell, as the service's own window allows.
        this.burstNanos = Duration.ofSeconds(1).toNanos();
        this.nextSlot = System.nanoTime();
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        if ("GET".equals(chain.request().method())) {
            return chain.proceed(chain.request());
        }
        awaitSlot();
        Response response = chain.proceed(chain.request());
        if (response.code() == 429) {
            Duration wait = RetryAfter.parse(response.header("Retry-After"));
            holdFor(wait == null ? Duration.ofSeconds(1) : wait);
        }
        return response;
    }

    private void awaitSlot() throws InterruptedIOException {
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            long slot = Math.max(nextSlot, now - burstNanos);
            nextSlot = slot + intervalNanos;
            wait = slot - now;
        }
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for Graph's write budget");
            }
        }
    }

    private synchronized void holdFor(Duration wait) {
        nextSlot = Math.max(nextSlot, System.nanoTime() + wait.toNanos());
    }
}
