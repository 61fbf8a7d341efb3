package dev.scimonboard.devtools.load;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/** Pauses and progress lines for programs that drive the local stack. */
public final class Waits {
    private Waits() {
    }

    /**
     * Pauses the current thread; an interrupt ends the pause early and stays set.
     *
     * @param duration how long
     */
    public static void pause(Duration duration) {
        try {
            TimeUnit.MILLISECONDS.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Prints a progress line, prefixed with the time.
     *
     * @param line what happened
     */
    public static void say(String line) {
        System.out.println(Instant.now() + " " + line);
    }

    /**
     * The whole seconds since a moment, as text.
     *
     * @param since the moment
     * @return such as {@code 12 s}
     */
    public static String secondsSince(Instant since) {
        return Duration.between(since, Instant.now()).toSeconds() + " s";
    }
}
