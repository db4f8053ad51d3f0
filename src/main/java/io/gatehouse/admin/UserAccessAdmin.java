package io.gatehouse.admin;

import io.gatehouse.core.admin.AdminException;
import io.gatehouse.core.model.AuthorizationCode;
import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.model.Consent;
import io.gatehouse.core.model.Session;
import io.gatehouse.core.model.User;
import io.gatehouse.core.port.AuditLog;
import io.gatehouse.core.port.GrantStore;
import io.gatehouse.core.port.ConsentStore;
import io.gatehouse.core.port.SessionStore;
import io.gatehouse.core.port.UserStore;
import io.gatehouse.core.token.Tokens;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * What a user holds and has given, for administrators: their browser sessions (list, end one or all), their grants
 * (list, revoke: every token issued from the grant stops working) and their consents (list, revoke: the consent is
 * forgotten and the user's grants to that client are revoked). Refusals are {@link AdminException}s; every change is
 * audited as a change of the user, naming the actor.
 */
public final class UserAccessAdmin {
    /**
     * A session as administrators see it. {@code id} is derived from the stored hash of the cookie: it names the
     * session, and neither it nor the hash can be turned back into the cookie.
     */
    public record SessionView(String id, Instant authTime, Instant expiresAt) {
    }

    private final UserStore users;
    private final SessionStore sessions;
    private final GrantStore grants;
    private final ConsentStore consents;
    private final Clock clock;
    private final AuditLog audit;
    private final String actor;

    public UserAccessAdmin(UserStore users, SessionStore sessions, GrantStore grants, ConsentStore consents, Clock clock,
                           AuditLog audit, String actor) {
        this.users = users;
        this.sessions = sessions;
        this.grants = grants;
        this.consents = consents;
        this.clock = clock;
        this.audit = audit;
        this.actor = actor;
    }

    /** The same use cases, with changes audited as made by {@code otherActor}. */
    public UserAccessAdmin as(String otherActor) {
        return new UserAccessAdmin(users, sessions, grants, consents, clock, audit, otherActor);
    }

    /** The user's sessions that have not expired, newest first. */
    public List<SessionView> sessions(String username) {
        Instant now = clock.instant();
        return sessions.listByUser(user(username).id()).stream().filter(s -> s.activeAt(now))
                .map(s -> new SessionView(sessionId(s), s.authTime(), s.expiresAt())).toList();
    }

    /** Ends one session: the browser holding it must sign in again. */
    public void revokeSession(String username, String sessionId) {
        User u = user(username);
        Session s = sessions.listByUser(u.id()).stream().filter(x -> sessionId(x).equals(sessionId)).findFirst()
                .orElseThrow(() -> AdminException.notFound("user '" + username + "' has no session " + sessionId));
        sessions.delete(s.idHash());
        audit.userChanged(u.username(), u.id(), "session ended", actor);
    }

    /** Ends every session of the user. @return how many there were */
    public int revokeSessions(String username) {
        User u = user(username);
        int n = sessions.deleteByUser(u.id());
        audit.userChanged(u.username(), u.id(), "sessions ended (" + n + ")", actor);
        return n;
    }

    /** The user's grants that are not revoked, newest first. */
    public List<AuthorizationCode> grants(String username) {
        return grants.activeGrants(user(username).id());
    }

    /** Revokes a grant of the user with every token issued from it. */
    public void revokeGrant(String username, String grantId) {
        User u = user(username);
        AuthorizationCode g = grants.activeGrants(u.id()).stream().filter(x -> x.grantId().equals(grantId)).findFirst()
                .orElseThrow(() -> AdminException.notFound("user '" + username + "' has no grant " + grantId));
        grants.revokeGrant(g.grantId());
        audit.userChanged(u.username(), u.id(), "grant revoked (client " + g.clientId() + ")", actor);
    }

    public List<Consent> consents(String username) {
        return consents.listByUser(user(username).id());
    }

    /** Forgets the user's consent to a client and revokes the user's grants to it. */
    public void revokeConsent(String username, String clientId) {
        User u = user(username);
        if (!ClientId.isValid(clientId) || !consents.revoke(u.id(), new ClientId(clientId))) {
            throw AdminException.notFound("user '" + username + "' has no consent for client '" + clientId + "'");
        }
        int revoked = 0;
        for (AuthorizationCode g : grants.activeGrants(u.id())) {
            if (g.clientId().value().equals(clientId)) {
                grants.revokeGrant(g.grantId());
                revoked++;
            }
        }
        audit.userChanged(u.username(), u.id(), "consent revoked (client " + clientId + ", " + revoked + " grant(s) revoked)",
                actor);
    }

    private User user(String username) {
        return (User.isValidUsername(username) ? users.findByUsername(username) : java.util.Optional.<User>empty())
                .orElseThrow(() -> AdminException.notFound("user '" + username + "' does not exist"));
    }

    static String sessionId(Session s) {
        return Tokens.hash("admin-session-id\u0000" + s.idHash()).substring(0, 22);
    }
}
