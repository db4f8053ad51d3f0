package io.gatehouse.http;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which address a request comes from. By default the peer of the connection, and {@code Forwarded} /
 * {@code X-Forwarded-For} are ignored (anyone can send them). With {@code trusted-proxies} configured (CIDRs), a request
 * whose peer is one of them is attributed to the address its proxies name: the chosen header is read from the right
 * (the entry the nearest proxy added) and each entry is believed only while the hop that reported it is trusted; the
 * first untrusted hop is the client. An entry that is not an IP address ({@code unknown}, an obfuscated identifier,
 * garbage) ends the walk at the hop that reported it. That address is what the attempt limits count and the audit log
 * records.
 *
 * <p>{@code X-Forwarded-Proto} and {@code X-Forwarded-Host} are never used: every URL Gatehouse advertises comes from
 * the issuer, fixed at start ({@code issuer}, or {@code http://HOST:PORT}); behind a proxy, set the issuer.
 */
public final class ClientAddresses {
    /** The header that names the client when the peer is a trusted proxy. */
    public enum Header {
        /** {@code X-Forwarded-For: client, proxy1, proxy2} (the default: what most proxies send). */
        X_FORWARDED_FOR,
        /** RFC 7239 {@code Forwarded: for=client, for="[2001:db8::1]:4711"}. */
        FORWARDED;

        public static Header parse(String s) {
            return switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "x-forwarded-for" -> X_FORWARDED_FOR;
                case "forwarded" -> FORWARDED;
                default -> throw new IllegalArgumentException("forwarded-header must be x-forwarded-for or forwarded");
            };
        }

        public String wireName() {
            return this == X_FORWARDED_FOR ? "x-forwarded-for" : "forwarded";
        }
    }

    /** An address block: {@code 10.0.0.0/8}, {@code 2001:db8::/32}, or one address ({@code 192.0.2.1}). */
    public record Cidr(byte[] network, int prefix) {
        public Cidr {
            network = network.clone();
        }

        public static Cidr parse(String text) {
            String s = text.trim();
            int slash = s.indexOf('/');
            InetAddress a = address(slash < 0 ? s : s.substring(0, slash));
            if (a == null) throw new IllegalArgumentException("trusted-proxies: '" + text + "' is not an IP address or CIDR block");
            int bits = a.getAddress().length * 8;
            int prefix = bits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(s.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException("trusted-proxies: '" + text + "' has a bad prefix length");
                }
            }
            return new Cidr(a.getAddress(), prefix);
        }

        public boolean contains(InetAddress a) {
            byte[] b = a.getAddress();
            if (b.length != network.length) return false;
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (b[i] != network[i]) return false;
            }
            int rest = prefix % 8;
            if (rest == 0) return true;
            int mask = 0xff << (8 - rest) & 0xff;
            return (b[full] & mask) == (network[full] & mask);
        }

        @Override
        public String toString() {
            try {
                return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
            } catch (java.net.UnknownHostException e) {
                return "?/" + prefix;
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Cidr c && c.prefix == prefix && java.util.Arrays.equals(c.network, network);
        }

        @Override
        public int hashCode() {
            return 31 * java.util.Arrays.hashCode(network) + prefix;
        }
    }

    private static final ClientAddresses PEER_ONLY = new ClientAddresses(List.of(), Header.X_FORWARDED_FOR);
    /** Entries read from the header at most (a longer chain ends at the proxy that reported the 32nd). */
    static final int MAX_HOPS = 32;

    private final List<Cidr> trusted;
    private final Header header;

    private ClientAddresses(List<Cidr> trusted, Header header) {
        this.trusted = List.copyOf(trusted);
        this.header = header;
    }

    /** The peer only; forwarding headers ignored. */
    public static ClientAddresses peerOnly() {
        return PEER_ONLY;
    }

    /** @param trustedProxies CIDRs (or single addresses); empty means the headers are ignored */
    public static ClientAddresses of(List<String> trustedProxies, Header header) {
        List<Cidr> cidrs = new ArrayList<>();
        for (String s : trustedProxies) cidrs.add(Cidr.parse(s));
        return cidrs.isEmpty() ? PEER_ONLY : new ClientAddresses(cidrs, header);
    }

    public boolean trustsAnyProxy() {
        return !trusted.isEmpty();
    }

    /** The request with its remote address replaced by the client's, when its peer is a trusted proxy. */
    public WebRequest resolve(WebRequest req) {
        if (trusted.isEmpty()) return req;
        String client = resolve(req.remoteAddress(), req.headerValues(header.wireName()));
        return client.equals(req.remoteAddress()) ? req : req.withRemoteAddress(client);
    }

    /** The client address for a peer and the values of the forwarding header (in the order received). */
    String resolve(String peer, List<String> headerValues) {
        InetAddress current = address(peer);
        if (current == null || !trusted(current)) return peer;
        List<String> hops = new ArrayList<>();
        for (String v : headerValues) {
            for (String part : v.split(",", -1)) hops.add(part);
        }
        int stop = Math.max(0, hops.size() - MAX_HOPS);
        for (int i = hops.size() - 1; i >= stop && trusted(current); i--) {
            InetAddress named = address(header == Header.FORWARDED ? forwardedFor(hops.get(i)) : hops.get(i));
            if (named == null) break;
            current = named;
        }
        return current.getHostAddress();
    }

    private boolean trusted(InetAddress a) {
        for (Cidr c : trusted) {
            if (c.contains(a)) return true;
        }
        return false;
    }

    /** The {@code for} parameter of one {@code Forwarded} element, or null. */
    private static String forwardedFor(String element) {
        for (String pair : element.split(";")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).trim().equalsIgnoreCase("for")) {
                String v = pair.substring(eq + 1).trim();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) v = v.substring(1, v.length() - 1);
                return v;
            }
        }
        return null;
    }

    /**
     * An IP literal, optionally {@code [v6]}, {@code [v6]:port} or {@code v4:port}; never a name lookup. Null when it
     * is not one.
     */
    static InetAddress address(String token) {
        if (token == null) return null;
        String t = token.trim();
        if (t.isEmpty() || t.length() > 64) return null;
        if (t.startsWith("[")) {
            int end = t.indexOf(']');
            if (end < 0 || !(end == t.length() - 1 || t.charAt(end + 1) == ':' && digits(t.substring(end + 2)))) return null;
            t = t.substring(1, end);
        } else if (t.indexOf(':') >= 0 && t.indexOf(':') == t.lastIndexOf(':') && t.indexOf('.') >= 0) {
            int colon = t.indexOf(':');
            if (!digits(t.substring(colon + 1))) return null;
            t = t.substring(0, colon);  // IPv4 with a port
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '.' || c == ':')) return null;
        }
        try {
            return InetAddress.ofLiteral(t);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean digits(String s) {
        if (s.isEmpty() || s.length() > 5) return false;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        }
        return true;
    }

    @Override
    public String toString() {
        return trusted.isEmpty() ? "peer address only" : "trusted proxies " + trusted + " via " + header.wireName();
    }
}
