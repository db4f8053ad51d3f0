package io.gatehouse.http.dialect;

import io.gatehouse.core.error.OAuthError;
import io.gatehouse.core.error.OAuthError.FieldProblem;
import io.gatehouse.core.error.OAuthException;
import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.TokenResult;
import io.gatehouse.http.WebRequest;
import io.gatehouse.http.WebResponse;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** Shared pieces of the table-driven dialect mapping tests. */
final class DialectFixtures {
    private DialectFixtures() {
    }

    static WebRequest json(String path, String body) {
        return request(path, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    static WebRequest request(String path, String contentType, byte[] body) {
        Map<String, List<String>> headers = contentType == null ? Map.of() : Map.of("content-type", List.of(contentType));
        return new WebRequest("POST", path, "", headers, body, false, "127.0.0.1", false);
    }

    /** One of every {@link OAuthError} variant (a new variant must be added here and to each table). */
    static Map<String, OAuthError> everyError() {
        return Map.ofEntries(
                Map.entry("InvalidRequest", new OAuthError.InvalidRequest("Something is wrong")),
                Map.entry("InvalidClient", new OAuthError.InvalidClient("Bad client credentials", OAuthError.ClientAuthMethodHint.POST)),
                Map.entry("InvalidGrant", new OAuthError.InvalidGrant("Invalid grant")),
                Map.entry("UnauthorizedClient", new OAuthError.UnauthorizedClient("The client is not allowed to use the client_credentials grant")),
                Map.entry("UnsupportedGrantType", new OAuthError.UnsupportedGrantType("Unsupported grant_type")),
                Map.entry("UnsupportedResponseType", new OAuthError.UnsupportedResponseType("Unsupported response_type")),
                Map.entry("InvalidRequestObject", new OAuthError.InvalidRequestObject("The request object is expired")),
                Map.entry("RequestUriNotSupported", new OAuthError.RequestUriNotSupported("request_uri is not supported")),
                Map.entry("InvalidScope", new OAuthError.InvalidScope("The requested scope is invalid")),
                Map.entry("AccessDenied", new OAuthError.AccessDenied("Access denied")),
                Map.entry("LoginRequired", new OAuthError.LoginRequired("Login required")),
                Map.entry("ConsentRequired", new OAuthError.ConsentRequired("Consent required")),
                Map.entry("UnmetAuthenticationRequirements", new OAuthError.UnmetAuthenticationRequirements("Unmet acr")),
                Map.entry("InvalidToken", new OAuthError.InvalidToken("The access token expired")),
                Map.entry("TemporarilyUnavailable", new OAuthError.TemporarilyUnavailable("Try again later", 7)),
                Map.entry("TooManyAttempts", new OAuthError.TooManyAttempts("Too many failed attempts", 7)),
                Map.entry("ServerError", new OAuthError.ServerError("Internal error (ref r-1)", "r-1")));
    }

    static void assertEveryVariantCovered(java.util.Set<String> tableKeys) {
        java.util.Set<String> variants = new java.util.TreeSet<>();
        for (Class<?> c : OAuthError.class.getPermittedSubclasses()) variants.add(c.getSimpleName());
        assertEquals(variants, new java.util.TreeSet<>(tableKeys), "every OAuthError variant needs a row");
        assertEquals(variants, new java.util.TreeSet<>(everyError().keySet()));
    }

    /** The variants answered with a Retry-After header (7 s in {@link #everyError()}). */
    static boolean hasRetryAfter(String variant) {
        return variant.equals("TemporarilyUnavailable") || variant.equals("TooManyAttempts");
    }

    static TokenResult result(String clientId, String token, long expiresIn) {
        return new TokenResult(new ClientId(clientId), token, "Bearer", expiresIn, Scope.of("all"), Optional.empty(), Optional.empty());
    }

    static List<FieldProblem> problems(TokenDialect d, WebRequest req) {
        OAuthException e = assertThrows(OAuthException.class, () -> d.parse(req));
        OAuthError.InvalidRequest ir = assertInstanceOf(OAuthError.InvalidRequest.class, e.error());
        return ir.problems();
    }

    static String body(WebResponse r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }
}
