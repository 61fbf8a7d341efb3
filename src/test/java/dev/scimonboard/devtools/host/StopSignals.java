package dev.scimonboard.devtools.host;

import sun.misc.Signal;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Stops the host on SIGTERM and SIGINT by handling the signals itself rather than through a shutdown hook:
 * java.util.logging resets its handlers in a shutdown hook of its own, which would swallow every log line of the
 * graceful stop. A second signal ends the process at once.
 */
final class StopSignals {

    private static final Logger LOG = Logger.getLogger(StopSignals.class.getName());
    private static final int EXIT_ON_SECOND_SIGNAL = 130;

    private StopSignals() {
    }

    /**
     * Routes SIGTERM and SIGINT to {@link LocalHost#close()}; falls back to a shutdown hook where the JVM does not
     * let signals be handled.
     *
     * @param host the host to stop
     */
    static void install(LocalHost host) {
        AtomicBoolean stopping = new AtomicBoolean();
        boolean hooked = false;
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    if (!stopping.compareAndSet(false, true)) {
                        Runtime.getRuntime().halt(EXIT_ON_SECOND_SIGNAL);
                    }
                    LOG.info(() -> "SIG" + name + " received");
                    Thread stopper = new Thread(host::close, "stop");
                    stopper.start();
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                LOG.fine(() -> "cannot handle SIG" + name + "; relying on a shutdown hook");
                if (!hooked) {
                    Runtime.getRuntime().addShutdownHook(new Thread(host::close, "stop"));
                    hooked = true;
                }
            }
        }
    }
}
