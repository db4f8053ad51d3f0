package io.gatehouse.http.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.core.error.OAuthError;
import io.gatehouse.core.error.OAuthError.FieldProblem;
import io.gatehouse.core.error.OAuthError.FieldProblem.Kind;
import io.gatehouse.core.error.OAuthException;
import io.gatehouse.http.Json;
import io.gatehouse.http.WebRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads string fields of a JSON object body for the JSON dialects, collecting every problem before
 * failing, so a dialect can name each bad field. Strict: the body must be {@code application/json}, a
 * well-formed JSON object (see {@link Json}); a field must be a non-empty string of at most its length,
 * without control characters (so no NUL or CR/LF can reach a log line). Unknown fields are ignored.
 * Messages name the field and never echo a value.
 */
final class JsonFields {
    public static final String BODY = "body";
    public static final String CONTENT_TYPE = "content-type";

    private final JsonNode object;
    private final List<FieldProblem> problems = new ArrayList<>();

    private JsonFields(JsonNode object) {
        this.object = object;
    }

    /** @throws OAuthException InvalidRequest with one MEDIA_TYPE or SYNTAX problem */
    static JsonFields of(WebRequest req) {
        if (!req.mediaType().equals("application/json")) {
            throw fail(List.of(new FieldProblem(CONTENT_TYPE, Kind.MEDIA_TYPE, "Content-Type must be application/json")));
        }
        byte[] body = req.body();
        for (byte b : body) {
            // A raw NUL is never valid UTF-8 JSON; it also stops UTF-16/32 bodies, which the parser would detect.
            if (b == 0) throw fail(List.of(new FieldProblem(BODY, Kind.SYNTAX, "Malformed JSON")));
        }
        JsonNode node;
        try {
            node = Json.parse(body);
        } catch (Json.JsonException e) {
            throw fail(List.of(new FieldProblem(BODY, Kind.SYNTAX, e.getMessage())));
        }
        if (!node.isObject()) {
            throw fail(List.of(new FieldProblem(BODY, Kind.SYNTAX, "The body must be a JSON object")));
        }
        return new JsonFields(node);
    }

    boolean has(String field) {
        return object.has(field);
    }

    /** A required string field; records a problem and returns empty when it is not acceptable. */
    Optional<String> required(String field, int maxLength) {
        JsonNode v = object.get(field);
        if (v == null) {
            problems.add(new FieldProblem(field, Kind.MISSING, field + " is required"));
            return Optional.empty();
        }
        return check(field, v, maxLength);
    }

    private Optional<String> check(String field, JsonNode v, int maxLength) {
        if (!v.isTextual()) {
            problems.add(new FieldProblem(field, Kind.WRONG_TYPE, field + " must be a string"));
            return Optional.empty();
        }
        String s = v.textValue();
        if (s.isEmpty()) {
            problems.add(new FieldProblem(field, Kind.MISSING, field + " must not be empty"));
            return Optional.empty();
        }
        if (s.length() > maxLength) {
            problems.add(new FieldProblem(field, Kind.TOO_LONG, field + " must be at most " + maxLength + " characters"));
            return Optional.empty();
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                problems.add(new FieldProblem(field, Kind.MALFORMED, field + " must not contain control characters"));
                return Optional.empty();
            }
        }
        return Optional.of(s);
    }

    void problem(String field, Kind kind, String message) {
        problems.add(new FieldProblem(field, kind, message));
    }

    /** @throws OAuthException InvalidRequest listing every problem found so far */
    void throwIfAny() {
        if (!problems.isEmpty()) throw fail(problems);
    }

    private static OAuthException fail(List<FieldProblem> problems) {
        String description = String.join("; ", problems.stream().map(FieldProblem::message).toList());
        return new OAuthException(new OAuthError.InvalidRequest(description, problems));
    }
}
