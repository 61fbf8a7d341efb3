package dev.scimonboard.devtools.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Azurite (blob, queue and table) for a test: started from the project's pinned copy in
 * {@code tools/azurite/node_modules} on free ports of 127.0.0.1, with its data in a fresh temporary folder, and
 * stopped by {@link #close()}. Install it first with {@code npm ci --prefix tools/azurite}.
 *
 * <pre>{@code
 * try (AzuriteProcess azurite = AzuriteProcess.start()) {
 *     QueueClient queue = new QueueClientBuilder().connectionString(azurite.connectionString())
 *         .queueName("work").buildClient();
 * }
 * }</pre>
 */
public final class AzuriteProcess implements AutoCloseable {

    /** The well-known development account every Azurite serves. */
    public static final String ACCOUNT_NAME = "devstoreaccount1";

    /** The development account's published key; it protects nothing. */
    public static final String ACCOUNT_KEY =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Path AZURITE_SCRIPT = Path.of("tools", "azurite", "node_modules", ".bin", "azurite");

    private volatile Process process;
    private final Path location;
    private final Path log;
    private final int blobPort;
    private final int queuePort;
    private final int tablePort;

    private AzuriteProcess(Process process, Path location, Path log, int blobPort, int queuePort, int tablePort) {
        this.process = process;
        this.location = location;
        this.log = log;
        this.blobPort = blobPort;
        this.queuePort = queuePort;
        this.tablePort = tablePort;
    }

    /**
     * Starts Azurite and waits until its three ports accept connections.
     *
     * @return the running emulator
     * @throws IllegalStateException when Azurite is not installed, exits early or does not listen in time; the
     *     message carries the end of its output
     */
    public static AzuriteProcess start() {
        Path script = projectRoot().resolve(AZURITE_SCRIPT);
        if (!Files.exists(script)) {
            throw new IllegalStateException("Azurite is not installed at " + script
                + ": run npm ci --prefix tools/azurite --no-audit --no-fund");
        }
        try {
            Path location = Files.createTempDirectory("azurite-");
            Path log = location.resolve("azurite.log");
            int[] ports = freePorts(3);
            AzuriteProcess azurite = new AzuriteProcess(launch(script, location, log, ports), location, log,
                ports[0], ports[1], ports[2]);
            azurite.awaitListening();
            return azurite;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Azurite (is node on the PATH?)", e);
        }
    }

    /**
     * Stops Azurite gracefully, so that it saves its data, and starts it again on the same ports with the same
     * data: what a storage outage and recovery look like to the functions.
     */
    public void restart() {
        stopProcess();
        try {
            process = launch(projectRoot().resolve(AZURITE_SCRIPT), location, log,
                new int[] {blobPort, queuePort, tablePort});
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restart Azurite", e);
        }
        awaitListening();
    }

    private static Process launch(Path script, Path location, Path log, int[] ports) throws IOException {
        return new ProcessBuilder(List.of(
            "node", script.toString(),
            "--silent", "--skipApiVersionCheck", "--loose", "--disableTelemetry",
            "--location", location.resolve("data").toString(),
            "--blobHost", "127.0.0.1", "--blobPort", Integer.toString(ports[0]),
            "--queueHost", "127.0.0.1", "--queuePort", Integer.toString(ports[1]),
            "--tableHost", "127.0.0.1", "--tablePort", Integer.toString(ports[2])))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    }

    /**
     * A connection string with explicit 127.0.0.1 endpoints, as the SDKs and the Functions host accept it.
     *
     * @return the connection string for all three services
     */
    public String connectionString() {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT_NAME + ";AccountKey=" + ACCOUNT_KEY
            + ";BlobEndpoint=" + endpoint(blobPort)
            + ";QueueEndpoint=" + endpoint(queuePort)
            + ";TableEndpoint=" + endpoint(tablePort) + ";";
    }

    /**
     * The blob service port.
     *
     * @return the port on 127.0.0.1
     */
    public int blobPort() {
        return blobPort;
    }

    /**
     * The queue service port.
     *
     * @return the port on 127.0.0.1
     */
    public int queuePort() {
        return queuePort;
    }

    /**
     * The table service port.
     *
     * @return the port on 127.0.0.1
     */
    public int tablePort() {
        return tablePort;
    }

    /**
     * The folder holding Azurite's data and its log ({@code azurite.log}); removed by {@link #close()}.
     *
     * @return the temporary folder
     */
    public Path location() {
        return location;
    }

    /**
     * Tells whether the emulator process is still running.
     *
     * @return true while it runs
     */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Stops Azurite (forcibly if it does not exit within five seconds) and deletes its data.
     */
    @Override
    public void close() {
        stopProcess();
        try (Stream<Path> files = Files.walk(location)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary folder is harmless; the operating system's cleanup takes it.
            System.err.println("could not delete " + location + ": " + e.getMessage());
        }
    }

    private void stopProcess() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitListening() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        for (int port : new int[] {blobPort, queuePort, tablePort}) {
            while (!accepts(port)) {
                if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                    String tail = logTail();
                    close();
                    throw new IllegalStateException("Azurite did not start listening on port " + port
                        + (process.isAlive() ? " in " + START_TIMEOUT.toSeconds() + " s" : " (it exited)")
                        + "; its output ends with:\n" + tail);
                }
                sleep(100);
            }
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private static String endpoint(int port) {
        return "http://127.0.0.1:" + port + "/" + ACCOUNT_NAME;
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Ports free right now; they are all held open together so the three differ. */
    private static int[] freePorts(int count) throws IOException {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
    }

    /**
     * The project root: the nearest folder at or above the working directory that holds tools/azurite, so tests
     * work from the root (Maven) and from an IDE that starts them in a module folder.
     */
    static Path projectRoot() {
        Path candidate = Path.of("").toAbsolutePath();
        while (candidate != null) {
            if (Files.isDirectory(candidate.resolve("tools").resolve("azurite"))) {
                return candidate;
            }
            candidate = candidate.getParent();
        }
        return Path.of("").toAbsolutePath();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Azurite", e);
        }
    }
}
