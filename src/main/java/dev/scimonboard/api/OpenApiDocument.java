package dev.scimonboard.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The OpenAPI 3.1 description of the HTTP API. It is kept in the package as {@value #RESOURCE}, read once on first
 * use and served as it is.
 */
public final class OpenApiDocument {
    /** Where the document is on the classpath. */
    public static final String RESOURCE = "/openapi.json";

    private OpenApiDocument() {
    }

    /**
     * {@code GET /api/openapi.json}: the document.
     *
     * @return 200 with the document as {@code application/json}
     * @throws IllegalStateException when the package lacks the document, which is a build fault
     */
    public static ApiResponse get() {
        return new ApiResponse(200, Map.of("Content-Type", "application/json; charset=utf-8"), Holder.TEXT);
    }

    /** Reads the document on first use, once per process. */
    private static final class Holder {
        private static final String TEXT = read();
    }

    private static String read() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the package lacks the OpenAPI document " + RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the OpenAPI document " + RESOURCE, e);
        }
    }
}
