package dev.scimonboard.benchmark;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The size of the deployment package: the staged function app zipped as a deployment zips it (deflate, default
 * level), its size unzipped, and the jars of its {@code lib/} folder, the largest first.
 *
 * @param zippedBytes the size of the zip
 * @param files how many files the package holds
 * @param unzippedBytes the total size of those files
 * @param jars how many jars {@code lib/} holds
 * @param jarBytes their total size
 * @param largestJars the largest jars, largest first
 */
public record PackageSize(long zippedBytes, int files, long unzippedBytes, int jars, long jarBytes,
    List<Jar> largestJars) {
    /** How many of the largest jars the report lists. */
    public static final int LARGEST = 15;

    private static final double BYTES_PER_MIB = 1024.0 * 1024.0;

    /**
     * One jar of the package.
     *
     * @param name the file name
     * @param bytes its size
     */
    public record Jar(String name, long bytes) {
    }

    /**
     * Measures a staged app, zipping it to {@code zip}.
     *
     * @param app the staging folder, such as {@code target/azure-functions/cf-scim-onboarding}
     * @param zip where to write the zip
     * @return the sizes
     * @throws IOException when the app cannot be read or the zip written
     */
    public static PackageSize measure(Path app, Path zip) throws IOException {
        if (!Files.isDirectory(app)) {
            throw new IOException("no staged app in " + app + "; build it with mvn package");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(app)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        Files.createDirectories(zip.toAbsolutePath().getParent());
        long unzipped = 0;
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream zipped = new ZipOutputStream(out)) {
            for (Path file : files) {
                zipped.putNextEntry(new ZipEntry(app.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, zipped);
                zipped.closeEntry();
                unzipped += Files.size(file);
            }
        }
        List<Jar> jars = new ArrayList<>();
        Path lib = app.resolve("lib");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> list = Files.list(lib)) {
                for (Path jar : list.filter(p -> p.getFileName().toString().endsWith(".jar")).toList()) {
                    jars.add(new Jar(jar.getFileName().toString(), Files.size(jar)));
                }
            }
        }
        jars.sort(Comparator.comparingLong(Jar::bytes).reversed().thenComparing(Jar::name));
        long jarBytes = jars.stream().mapToLong(Jar::bytes).sum();
        return new PackageSize(Files.size(zip), files.size(), unzipped, jars.size(), jarBytes,
            List.copyOf(jars.subList(0, Math.min(LARGEST, jars.size()))));
    }

    /**
     * The sizes as JSON, in MiB.
     *
     * @return the figures and the largest jars
     */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("zippedMiB", mib(zippedBytes));
        json.put("zippedBytes", zippedBytes);
        json.put("files", files);
        json.put("unzippedMiB", mib(unzippedBytes));
        json.put("libJars", jars);
        json.put("libJarsMiB", mib(jarBytes));
        ArrayNode largest = json.putArray("largestJars");
        for (Jar jar : largestJars) {
            largest.addObject().put("name", jar.name()).put("MiB", mib(jar.bytes()));
        }
        return json;
    }

    /**
     * Bytes as MiB, rounded to two decimals.
     *
     * @param bytes the amount
     * @return the amount in MiB
     */
    static double mib(long bytes) {
        return Math.round(bytes / BYTES_PER_MIB * 100) / 100.0;
    }
}
