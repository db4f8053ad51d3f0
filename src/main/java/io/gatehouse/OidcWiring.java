package io.gatehouse;

import io.gatehouse.core.AttemptLimiter;
import io.gatehouse.core.AuthorizeService;
import io.gatehouse.core.ClientAuthenticator;
import io.gatehouse.core.IntrospectionService;
import io.gatehouse.core.LoginService;
import io.gatehouse.core.RequestObjectVerifier;
import io.gatehouse.core.RevocationService;
import io.gatehouse.core.SecretHasher;
import io.gatehouse.core.UserInfoService;
import io.gatehouse.core.grant.AuthorizationCodeGrant;
import io.gatehouse.core.grant.RefreshTokenGrant;
import io.gatehouse.core.grant.UserTokens;
import io.gatehouse.core.model.Acr;
import io.gatehouse.core.port.AuditLog;
import io.gatehouse.core.port.ClientRepository;
import io.gatehouse.core.port.TokenStore;
import io.gatehouse.core.token.AccessTokenValidator;
import io.gatehouse.core.token.IdTokens;
import io.gatehouse.core.token.SigningKeys;
import io.gatehouse.core.token.TokenIssuer;
import io.gatehouse.http.Browser;
import io.gatehouse.http.Metrics;
import io.gatehouse.http.Router;
import io.gatehouse.http.endpoint.AuthorizeEndpoint;
import io.gatehouse.http.endpoint.ConsentPage;
import io.gatehouse.http.endpoint.IntrospectionEndpoint;
import io.gatehouse.http.endpoint.LoginPage;
import io.gatehouse.http.endpoint.LogoutEndpoint;
import io.gatehouse.http.endpoint.RevocationEndpoint;
import io.gatehouse.http.endpoint.UserInfoEndpoint;
import io.gatehouse.store.jdbc.Database;
import io.gatehouse.store.jdbc.JdbcCodeStore;
import io.gatehouse.store.jdbc.JdbcConsentStore;
import io.gatehouse.store.jdbc.JdbcSessionStore;
import io.gatehouse.store.jdbc.JdbcUserStore;

import java.security.SecureRandom;
import java.time.Clock;

/** Wiring of the OpenID Connect provider side (users, sessions, code flow, userinfo, introspection, revocation). */
record OidcWiring(AuthorizationCodeGrant codeGrant, RefreshTokenGrant refreshGrant, AccessTokenValidator validator,
                  AuthorizeEndpoint authorize, LogoutEndpoint logout, UserInfoEndpoint userInfo,
                  IntrospectionEndpoint introspect, RevocationEndpoint revoke) {
    static final String AUTHORIZE = "/oauth2/authorize";
    static final String USERINFO = "/oauth2/userinfo";
    static final String INTROSPECT = "/oauth2/introspect";
    static final String REVOKE = "/oauth2/revoke";
    static final String LOGOUT = LogoutEndpoint.PATH;

    static OidcWiring create(Database db, String issuer, Acr acr, ClientRepository clients, TokenStore tokens, SigningKeys keys,
                             TokenIssuer issuerSvc, ClientAuthenticator authenticator, SecretHasher hasher,
                             AttemptLimiter limiter, Metrics metrics, AuditLog audit, Clock clock, SecureRandom random) {
        var users = new JdbcUserStore(db);
        var codes = new JdbcCodeStore(db);
        var logins = new LoginService(users, new JdbcSessionStore(db), hasher, limiter, clock, random, audit);
        var userTokens = new UserTokens(issuerSvc, new IdTokens(issuerSvc, acr, clock), codes, clock, random);
        var validator = new AccessTokenValidator(issuer, keys, tokens, clients, clock);
        var browser = new Browser(issuer);
        var authorize = new AuthorizeService(clients, codes, new JdbcConsentStore(db, clock), logins,
                new RequestObjectVerifier(issuer, clock), acr, issuer, clock, random);
        return new OidcWiring(new AuthorizationCodeGrant(codes, codes, users, userTokens, clock),
                new RefreshTokenGrant(codes, users, userTokens, clock), validator,
                AuthorizeEndpoint.create(authorize, logins, browser, metrics),
                new LogoutEndpoint(logins, clients, validator, browser),
                new UserInfoEndpoint(new UserInfoService(validator, users, codes)),
                new IntrospectionEndpoint(new IntrospectionService(authenticator, validator, tokens, users, issuer, clock)),
                new RevocationEndpoint(new RevocationService(authenticator, validator, tokens, codes)));
    }

    void route(Router router) {
        router.get(AUTHORIZE, authorize).post(AUTHORIZE, authorize);
        router.post(LoginPage.PATH, authorize.loginPage());
        router.post(ConsentPage.PATH, authorize.consentPage());
        router.get(LOGOUT, logout).post(LOGOUT, logout);
        router.get(USERINFO, userInfo).post(USERINFO, userInfo);
        router.post(INTROSPECT, introspect);
        router.post(REVOKE, revoke);
    }
}
