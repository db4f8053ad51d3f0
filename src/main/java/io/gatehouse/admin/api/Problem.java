package io.gatehouse.admin.api;

import io.gatehouse.core.admin.AdminError;
import io.gatehouse.http.Json;
import io.gatehouse.http.WebResponse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RFC 9457 problem details, the admin API's one error shape: {@code application/problem+json} with {@code type}
 * (always {@code about:blank}: the status says what kind), {@code title}, {@code status} and {@code detail}; a 400 for
 * bad values adds {@code errors}, one {@code {"field", "detail"}} per bad field. Details never echo a secret.
 */
final class Problem {
    static final String MEDIA_TYPE = "application/problem+json";

    private Problem() {
    }

    static WebResponse of(int status, String detail) {
        return respond(body(status, detail));
    }

    /** A 400 naming every bad field. */
    static WebResponse invalid(List<AdminError.FieldProblem> problems) {
        Map<String, Object> body = body(400, problems.size() == 1 ? problems.getFirst().detail()
                : "Invalid values: " + String.join(", ", problems.stream().map(AdminError.FieldProblem::field).distinct().toList()));
        List<Map<String, String>> errors = problems.stream().map(p -> {
            Map<String, String> e = new LinkedHashMap<>();
            e.put("field", p.field());
            e.put("detail", p.detail());
            return e;
        }).toList();
        body.put("errors", errors);
        return respond(body);
    }

    /** The answer to an admin use case's refusal. */
    static WebResponse of(AdminError error) {
        return switch (error) {
            case AdminError.NotFound n -> of(404, n.detail());
            case AdminError.Conflict c -> of(409, c.detail());
            case AdminError.PreconditionFailed p -> of(412, p.detail());
            case AdminError.Invalid i -> invalid(i.problems());
        };
    }

    private static Map<String, Object> body(int status, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title(status));
        body.put("status", status);
        body.put("detail", detail);
        return body;
    }

    private static WebResponse respond(Map<String, Object> body) {
        return WebResponse.of((Integer) body.get("status"), MEDIA_TYPE, Json.write(body)).with("Cache-Control", "no-store");
    }

    static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 412 -> "Precondition Failed";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 428 -> "Precondition Required";
            case 503 -> "Service Unavailable";
            default -> "Internal Server Error";
        };
    }

    /** A refusal found while reading the request (its media type, size, parameters, If-Match): answered as it is. */
    static final class Refused extends RuntimeException {
        final transient WebResponse response;

        Refused(int status, String detail) {
            this(of(status, detail));
        }

        Refused(WebResponse response) {
            super(null, null, false, false);
            this.response = response;
        }
    }
}
