package io.gatehouse.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.core.admin.AdminError;
import io.gatehouse.core.admin.AdminException;
import io.gatehouse.http.Json;
import io.gatehouse.http.WebRequest;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Request bodies of the admin API: JSON objects only, parsed strictly ({@link Json}), each field read with its type
 * checked; a field the resource does not know is refused by name (nothing is silently ignored). Problems are collected
 * and reported together by {@link #check()} ({@link AdminError.Invalid}). A JSON {@code null} is the same as a field
 * left out.
 */
final class JsonBody {
    static final Set<String> JSON = Set.of("application/json");
    /** PATCH takes a JSON merge patch (RFC 7396); plain application/json is accepted too. */
    static final Set<String> MERGE_PATCH = Set.of("application/merge-patch+json", "application/json");

    private final ObjectNode node;
    private final List<AdminError.FieldProblem> problems = new ArrayList<>();

    /** @param known the fields the resource takes; any other is a problem */
    JsonBody(ObjectNode node, Set<String> known) {
        this.node = node;
        Set<String> unknown = new TreeSet<>();
        node.fieldNames().forEachRemaining(f -> {
            if (!known.contains(f)) unknown.add(f);
        });
        for (String f : unknown) problem(shown(f), "unknown field '" + shown(f) + "'");
    }

    /**
     * The body as a JSON object.
     *
     * @throws Problem.Refused 415 for another media type, 413 over the server's body limit, 400 when not a JSON object
     */
    static ObjectNode object(WebRequest req, Set<String> mediaTypes) {
        if (!mediaTypes.contains(req.mediaType())) {
            throw new Problem.Refused(415, "The body must be " + String.join(" or ", new TreeSet<>(mediaTypes)));
        }
        byte[] body = body(req);
        try {
            JsonNode n = Json.parse(body);
            if (!n.isObject()) throw new Problem.Refused(400, "The body must be a JSON object");
            return (ObjectNode) n;
        } catch (Json.JsonException e) {
            throw new Problem.Refused(400, e.getMessage());
        }
    }

    /** For actions whose body may be left out (empty: an empty object); when there is one, as {@link #object}. */
    static ObjectNode optionalObject(WebRequest req) {
        if (body(req).length == 0) return Json.mapper().createObjectNode();
        return object(req, JSON);
    }

    private static byte[] body(WebRequest req) {
        try {
            return req.body();
        } catch (WebRequest.PayloadTooLarge e) {
            throw new Problem.Refused(413, "The request body is too large");
        }
    }

    /** RFC 7396: {@code patch} applied to a copy of {@code target}. */
    static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) return patch;
        ObjectNode out = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : Json.mapper().createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNull()) out.remove(e.getKey());
            else out.set(e.getKey(), mergePatch(out.get(e.getKey()), e.getValue()));
        }
        return out;
    }

    boolean has(String field) {
        JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }

    JsonNode node(String field) {
        return has(field) ? node.get(field) : null;
    }

    /** A string of at most {@code max} characters, or null. */
    String text(String field, int max) {
        if (!has(field)) return null;
        JsonNode v = node.get(field);
        if (!v.isTextual()) return problem(field, field + " must be a string");
        if (v.asText().length() > max) return problem(field, field + " must be at most " + max + " characters");
        return v.asText();
    }

    Boolean bool(String field) {
        if (!has(field)) return null;
        JsonNode v = node.get(field);
        return v.isBoolean() ? v.asBoolean() : problem(field, field + " must be true or false");
    }

    /** A whole number, or null. */
    Long integer(String field) {
        if (!has(field)) return null;
        JsonNode v = node.get(field);
        return v.isIntegralNumber() && v.canConvertToLong() ? v.asLong() : problem(field, field + " must be a whole number");
    }

    /** An array of at most {@code maxItems} strings of at most {@code maxLength} characters each, or null. */
    List<String> strings(String field, int maxItems, int maxLength) {
        if (!has(field)) return null;
        JsonNode v = node.get(field);
        if (!v.isArray()) return problem(field, field + " must be an array of strings");
        if (v.size() > maxItems) return problem(field, field + " must have at most " + maxItems + " items");
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isTextual()) return problem(field, field + " must be an array of strings");
            if (item.asText().length() > maxLength) {
                return problem(field, field + " items must be at most " + maxLength + " characters");
            }
            out.add(item.asText());
        }
        return out;
    }

    /** An object of at most {@code maxEntries} string members of at most {@code maxLength} characters, or null. */
    Map<String, String> stringMap(String field, int maxEntries, int maxLength) {
        if (!has(field)) return null;
        JsonNode v = node.get(field);
        if (!v.isObject()) return problem(field, field + " must be an object of strings");
        if (v.size() > maxEntries) return problem(field, field + " must have at most " + maxEntries + " members");
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) return problem(field, field + " must be an object of strings");
            if (e.getValue().asText().length() > maxLength) {
                return problem(field, field + " values must be at most " + maxLength + " characters");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    /** Records a problem with a field. @return null, for the reader's convenience */
    <T> T problem(String field, String detail) {
        problems.add(new AdminError.FieldProblem(field, detail));
        return null;
    }

    /** Runs a check that may refuse with {@link AdminException}; its problems join these. */
    void check(Runnable validation) {
        try {
            validation.run();
        } catch (AdminException e) {
            if (e.error() instanceof AdminError.Invalid i) problems.addAll(i.problems());
            else throw e;
        }
    }

    /** @throws AdminException {@link AdminError.Invalid} with every problem found so far */
    void check() {
        if (!problems.isEmpty()) throw new AdminException(new AdminError.Invalid(problems));
    }

    /** A field name as a message may show it: printable, at most 100 characters. */
    private static String shown(String name) {
        String s = name.length() > 100 ? name.substring(0, 100) + "..." : name;
        return s.replaceAll("[\\p{Cntrl}\"\\\\]", "?");
    }
}
