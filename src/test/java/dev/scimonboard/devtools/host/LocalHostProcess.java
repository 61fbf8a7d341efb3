package dev.scimonboard.devtools.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The local host in a child JVM, for end-to-end tests: the product reads its settings from the environment, which
 * only a new process can be given. The child runs {@link LocalHost#main} on this JVM's classpath with the given
 * environment added, on a free port, logging to a file; {@link #close()} sends SIGTERM and waits for the graceful
 * stop.
 */
public final class LocalHostProcess implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = LocalHost.STOP_GRACE.plusSeconds(10);

    private final Process process;
    private final Path log;
    private final int port;

    private LocalHostProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * Starts the local host and waits for its ready line.
     *
     * @param appDirectory the staging folder
     * @param environment settings added to this process's environment (storage connection, Graph URL, ...)
     * @return the running host
     * @throws IllegalStateException when it exits or is not ready in time; the message carries the end of its log
     */
    public static LocalHostProcess start(Path appDirectory, Map<String, String> environment) {
        return start(appDirectory, environment, List.of());
    }

    /**
     * Starts the local host with options for its JVM, such as a heap limit or a GC log, and waits for its ready
     * line.
     *
     * @param appDirectory the staging folder
     * @param environment settings added to this process's environment (storage connection, Graph URL, ...)
     * @param jvmOptions options put before the main class, such as {@code -Xlog:gc:file=gc.log}
     * @return the running host
     * @throws IllegalStateException when it exits or is not ready in time; the message carries the end of its log
     */
    public static LocalHostProcess start(Path appDirectory, Map<String, String> environment,
        List<String> jvmOptions) {
        try {
            int port = freePort();
            Path log = Files.createTempFile("local-host-", ".log");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.addAll(List.of(
                "-cp", System.getProperty("java.class.path"),
                LocalHost.class.getName(),
                "--app", appDirectory.toAbsolutePath().toString(),
                "--port", Integer.toString(port)));
            ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            LocalHostProcess host = new LocalHostProcess(builder.start(), log, port);
            host.awaitReady();
            return host;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the local host", e);
        }
    }

    /**
     * The HTTP port.
     *
     * @return the port on 127.0.0.1
     */
    public int port() {
        return port;
    }

    /**
     * The operating system's id of the host's JVM, for reading its memory use.
     *
     * @return the process id
     */
    public long pid() {
        return process.pid();
    }

    /**
     * The root URL; functions are below it under the route prefix.
     *
     * @return {@code http://127.0.0.1:<port>}
     */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /**
     * The file the host logs to.
     *
     * @return the log file
     */
    public Path log() {
        return log;
    }

    /**
     * Everything the host has logged so far.
     *
     * @return the log text
     */
    public String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Tells whether the host process still runs.
     *
     * @return true while it runs
     */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Stops the host with SIGTERM, as a terminal or script would, and kills it if it does not stop in time.
     *
     * @return the exit code
     */
    public int stop() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * Kills the host with SIGKILL, as a crash would: running invocations end mid-way and their messages come back
     * when their lease ends.
     */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the host; see {@link #stop()}. */
    @Override
    public void close() {
        if (process.isAlive()) {
            stop();
        }
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (!logText().contains(LocalHost.READY_LINE)) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                String text = logText();
                close();
                throw new IllegalStateException("the local host " + (process.isAlive() ? "was not ready in time"
                    : "exited with " + process.exitValue()) + "; its log ends with:\n"
                    + text.substring(Math.max(0, text.length() - 4000)));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the local host", e);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
