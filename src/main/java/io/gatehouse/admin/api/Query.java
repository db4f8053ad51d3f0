package io.gatehouse.admin.api;

import io.gatehouse.core.admin.AdminError;
import io.gatehouse.core.admin.AdminException;
import io.gatehouse.http.Form;
import io.gatehouse.http.WebRequest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Query parameters of a list: {@code limit} (1 to {@value #MAX_LIMIT}, default {@value #DEFAULT_LIMIT}) and
 * {@code cursor} (the {@code next_cursor} of the page before), plus the resource's filters. Unknown, repeated or
 * malformed parameters are refused by name (400).
 */
final class Query {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    static final String LIMIT = "limit";
    static final String CURSOR = "cursor";

    private final Form form;
    private final List<AdminError.FieldProblem> problems = new ArrayList<>();

    /** A list that is not paged and takes no parameters: any is refused. */
    static void none(WebRequest req) {
        new Query(req, Set.of(), false).check();
    }

    /** A paged list. @param filters the parameters the resource takes besides limit and cursor */
    Query(WebRequest req, Set<String> filters) {
        this(req, filters, true);
    }

    private Query(WebRequest req, Set<String> filters, boolean paged) {
        try {
            form = Form.parse(req.rawQuery());
        } catch (Form.FormException e) {
            throw AdminException.invalid("query", "The query string is malformed: " + e.getMessage());
        }
        Set<String> unknown = new TreeSet<>();
        for (String name : form.names()) {
            if (!(paged && (name.equals(LIMIT) || name.equals(CURSOR))) && !filters.contains(name)) unknown.add(name);
            else if (form.all(name).size() > 1) problems.add(new AdminError.FieldProblem(name, name + " is repeated"));
        }
        for (String u : unknown) problems.add(new AdminError.FieldProblem(u, "unknown query parameter '" + u + "'"));
    }

    Optional<String> get(String name) {
        return form.all(name).size() == 1 ? Optional.of(form.all(name).getFirst()) : Optional.empty();
    }

    int limit() {
        Optional<String> v = get(LIMIT);
        if (v.isEmpty()) return DEFAULT_LIMIT;
        if (v.get().matches("[0-9]{1,4}")) {
            int n = Integer.parseInt(v.get());
            if (n >= 1 && n <= MAX_LIMIT) return n;
        }
        problems.add(new AdminError.FieldProblem(LIMIT, "limit must be a whole number from 1 to " + MAX_LIMIT));
        return DEFAULT_LIMIT;
    }

    /** The cursor as the key it encodes (base64url of UTF-8 text of at most {@code maxLength} characters). */
    Optional<String> cursor(int maxLength) {
        Optional<String> v = get(CURSOR);
        if (v.isEmpty()) return v;
        try {
            String key = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(
                    Base64.getUrlDecoder().decode(v.get()))).toString();
            if (!key.isEmpty() && key.length() <= maxLength) return Optional.of(key);
        } catch (IllegalArgumentException | java.nio.charset.CharacterCodingException e) {
            // reported below
        }
        problems.add(new AdminError.FieldProblem(CURSOR, "cursor is not one this API gave out"));
        return Optional.empty();
    }

    static String cursorOf(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    void problem(String name, String detail) {
        problems.add(new AdminError.FieldProblem(name, detail));
    }

    /** @throws AdminException {@link AdminError.Invalid} naming every bad parameter */
    void check() {
        if (!problems.isEmpty()) throw new AdminException(new AdminError.Invalid(problems));
    }
}
