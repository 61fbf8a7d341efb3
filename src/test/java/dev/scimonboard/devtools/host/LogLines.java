package dev.scimonboard.devtools.host;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The local host's log format: one line per record on standard output, {@code <ISO time> <level> [<logger>]
 * <message>}, followed by the stack trace when there is one. Installed on the root java.util.logging logger, so
 * product code that logs through any JUL logger (or the execution context's logger) prints the same way.
 */
public final class LogLines extends Formatter {

    private static final DateTimeFormatter TIME =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

    private LogLines() {
    }

    /**
     * Replaces every JUL handler with one that prints to standard output in this format. The SDKs' chatty
     * transport loggers are held at WARNING so the function logs stay readable.
     *
     * @param level the lowest level printed
     */
    public static void install(Level level) {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(level);
        root.addHandler(new StandardOutput(new LogLines()));
        for (String noisy : new String[] {"com.azure", "io.netty", "reactor", "okhttp3", "sun.net"}) {
            Logger.getLogger(noisy).setLevel(Level.WARNING);
        }
    }

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder()
            .append(TIME.format(record.getInstant()))
            .append(' ')
            .append(String.format("%-7s", record.getLevel().getName()))
            .append(" [")
            .append(record.getLoggerName() == null ? "" : record.getLoggerName())
            .append("] ")
            .append(formatMessage(record).replace("\r", "").replace("\n", " | "))
            .append(System.lineSeparator());
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            line.append(trace);
        }
        return line.toString();
    }

    /**
     * Prints to {@link System#out} without ever closing it, unlike {@code ConsoleHandler} (standard error) or
     * {@code StreamHandler} (closes its stream on reset).
     */
    private static final class StandardOutput extends Handler {

        StandardOutput(Formatter formatter) {
            setFormatter(formatter);
        }

        @Override
        public void publish(LogRecord record) {
            if (isLoggable(record)) {
                System.out.print(getFormatter().format(record));
                System.out.flush();
            }
        }

        @Override
        public void flush() {
            System.out.flush();
        }

        @Override
        public void close() {
            flush();
        }
    }
}
