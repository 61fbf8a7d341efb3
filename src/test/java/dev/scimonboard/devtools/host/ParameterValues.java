package dev.scimonboard.devtools.host;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * Turns trigger data (text, metadata) into the Java type a function declared, the way the Java worker does:
 * strings as they are, numbers and times parsed, anything else bound from JSON with Jackson.
 */
final class ParameterValues {

    private final ObjectMapper json;

    /**
     * Creates the converter.
     *
     * @param json the mapper for JSON bodies and POJO parameters
     */
    ParameterValues(ObjectMapper json) {
        this.json = json;
    }

    /**
     * Binds text, a message or request body, to a declared type.
     *
     * @param text the text, or null when there is none
     * @param type the declared type, possibly generic such as {@code Optional<String>}
     * @return the value; null (or an empty Optional) when there is no text
     * @throws IOException when the text is not JSON of the declared type
     */
    Object fromText(String text, Type type) throws IOException {
        if (type instanceof ParameterizedType parameterized && parameterized.getRawType().equals(Optional.class)) {
            Object inner = fromText(text, parameterized.getActualTypeArguments()[0]);
            return Optional.ofNullable(inner);
        }
        if (text == null) {
            return null;
        }
        if (type.equals(String.class) || type.equals(Object.class) || type.equals(CharSequence.class)) {
            return text;
        }
        if (type.equals(byte[].class)) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        JavaType javaType = json.getTypeFactory().constructType(type);
        return json.readValue(text, javaType);
    }

    /**
     * Binds a metadata value (a route parameter, a dequeue count, an insertion time) to a declared type.
     *
     * @param value the value as the trigger has it, possibly null
     * @param type the declared type
     * @return the value in the declared type
     */
    Object fromMetadata(Object value, Class<?> type) {
        if (value == null) {
            return type.isPrimitive() ? json.convertValue(0, type) : null;
        }
        if (type.isInstance(value)) {
            return value;
        }
        if (type.equals(String.class)) {
            return value.toString();
        }
        if (value instanceof OffsetDateTime time && type.equals(Instant.class)) {
            return time.toInstant();
        }
        if (type.equals(OffsetDateTime.class)) {
            return OffsetDateTime.parse(value.toString());
        }
        return json.convertValue(value, type);
    }
}
