package io.gatehouse.admin.api;

import io.gatehouse.http.WebRequest;
import io.gatehouse.http.WebResponse;

import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Entity tags of clients and users: their row version, as a strong ETag ({@code "<base 36>"}). Changes take it back in
 * {@code If-Match} (RFC 9110 §13.1.1): PUT, PATCH and DELETE of a client or user require it (428 without it), the
 * actions (rotate-secret, password) honour it when sent. {@code If-Match: *} matches whatever version there is. A
 * weak or unknown tag never matches (412).
 */
final class ETags {
    /** No version has it: the caller's tags named none that exists. */
    static final long NONE = -1;

    private ETags() {
    }

    static String of(long version) {
        return "\"" + Long.toString(version, 36) + "\"";
    }

    static WebResponse tagged(WebResponse response, long version) {
        return response.with("ETag", of(version));
    }

    /**
     * The version the change must find, from {@code If-Match}: empty for {@code *} or (when not {@code required}) no
     * header; {@link #NONE} when no tag given can match.
     *
     * @param current read only when several tags are given, to pick the one that matches
     * @throws Problem.Refused 428 when required and missing
     */
    static OptionalLong expected(WebRequest req, boolean required, LongSupplier current) {
        var headers = req.headerValues("if-match");
        if (headers.isEmpty()) {
            if (required) {
                throw new Problem.Refused(428, "This change needs If-Match with the ETag of the version it changes "
                        + "(GET it first), or If-Match: * to change whatever version there is");
            }
            return OptionalLong.empty();
        }
        Set<Long> versions = new HashSet<>();
        for (String h : headers) {
            for (String tag : h.split(",")) {
                String t = tag.strip();
                if (t.equals("*")) return OptionalLong.empty();
                if (t.length() > 2 && t.length() < 20 && t.startsWith("\"") && t.endsWith("\"")) {
                    try {
                        versions.add(Long.parseLong(t.substring(1, t.length() - 1), 36));
                    } catch (NumberFormatException e) {
                        // not one of ours: matches nothing
                    }
                }
            }
        }
        if (versions.isEmpty()) return OptionalLong.of(NONE);
        if (versions.size() == 1) return OptionalLong.of(versions.iterator().next());
        long now = current.getAsLong();
        return OptionalLong.of(versions.contains(now) ? now : NONE);
    }
}
