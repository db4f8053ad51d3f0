package io.gatehouse.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;

/**
 * JSON with strict parsing: duplicate keys rejected, trailing tokens rejected, a byte-order mark
 * rejected, nesting depth and string/number lengths bounded.
 */
public final class Json {
    public static final int MAX_DEPTH = 16;
    private static final ObjectMapper MAPPER;

    static {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_DEPTH).maxStringLength(65_536).maxNumberLength(100)
                        .maxNameLength(1_000).maxDocumentLength(1_048_576).build())
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        MAPPER = new ObjectMapper(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(JsonParser.Feature.ALLOW_COMMENTS);
    }

    /** A malformed document; the message is fixed text and never echoes the input. */
    public static final class JsonException extends Exception {
        public JsonException(String message) {
            super(message, null, false, false);
        }
    }

    private Json() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static JsonNode parse(byte[] body) throws JsonException {
        if (body.length >= 3 && (body[0] & 0xFF) == 0xEF && (body[1] & 0xFF) == 0xBB && (body[2] & 0xFF) == 0xBF) {
            throw new JsonException("A byte-order mark is not allowed");
        }
        if (body.length == 0) throw new JsonException("The body is empty");
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || node.isMissingNode()) throw new JsonException("The body is empty");
            return node;
        } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
            throw new JsonException("The JSON document is too deeply nested or too large");
        } catch (JsonProcessingException e) {
            String m = e.getOriginalMessage();
            throw new JsonException(m != null && m.startsWith("Duplicate field")
                    ? "Duplicate keys are not allowed" : "Malformed JSON");
        } catch (IOException e) {
            throw new JsonException("Malformed JSON");
        }
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a response", e);
        }
    }
}
