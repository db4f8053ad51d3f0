package io.gatehouse.http;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ClientAddressesTest {
    final ClientAddresses xff = ClientAddresses.of(List.of("10.0.0.0/8", "192.0.2.1", "2001:db8::/32"),
            ClientAddresses.Header.X_FORWARDED_FOR);
    final ClientAddresses fwd = ClientAddresses.of(List.of("10.0.0.0/8"), ClientAddresses.Header.FORWARDED);

    static WebRequest from(String peer, String... headers) {
        Map<String, List<String>> h = new java.util.HashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            h.computeIfAbsent(headers[i], k -> new java.util.ArrayList<>()).add(headers[i + 1]);
        }
        return new WebRequest("POST", "/oauth2/token", "", h, null, false, peer, false);
    }

    @Test
    void resolveWhenNoTrustedProxiesThenHeadersIgnored() {
        ClientAddresses none = ClientAddresses.of(List.of(), ClientAddresses.Header.X_FORWARDED_FOR);
        WebRequest r = from("127.0.0.1", "x-forwarded-for", "203.0.113.9", "forwarded", "for=203.0.113.9");
        assertSame(r, none.resolve(r));
        assertFalse(none.trustsAnyProxy());
    }

    @Test
    void resolveWhenPeerNotTrustedThenHeaderIgnored() {
        assertEquals("198.51.100.4", xff.resolve(from("198.51.100.4", "x-forwarded-for", "203.0.113.9")).remoteAddress());
    }

    @Test
    void resolveWhenTrustedChainThenRightmostUntrustedHop() {
        // The client forged the first entry; the proxies appended what they saw.
        assertEquals("203.0.113.9", xff.resolve(from("10.1.1.1",
                "x-forwarded-for", "6.6.6.6, 203.0.113.9, 10.2.2.2")).remoteAddress());
        assertEquals("203.0.113.9", xff.resolve(from("10.1.1.1",
                "x-forwarded-for", "6.6.6.6", "x-forwarded-for", "203.0.113.9,10.2.2.2")).remoteAddress(), "header lines joined");
        assertEquals("10.2.2.2", xff.resolve(from("10.1.1.1", "x-forwarded-for", "10.2.2.2")).remoteAddress(),
                "all trusted: the farthest proxy");
        assertEquals("10.1.1.1", xff.resolve(from("10.1.1.1")).remoteAddress(), "no header: the proxy itself");
    }

    @Test
    void resolveWhenEntryMalformedThenStopsAtTheHopThatReportedIt() {
        assertEquals("10.2.2.2", xff.resolve(from("10.1.1.1", "x-forwarded-for", "203.0.113.9, unknown, 10.2.2.2")).remoteAddress());
        assertEquals("10.1.1.1", xff.resolve(from("10.1.1.1", "x-forwarded-for", "evil.example")).remoteAddress(),
                "never a name lookup");
        assertEquals("10.1.1.1", xff.resolve(from("10.1.1.1", "x-forwarded-for", "")).remoteAddress());
    }

    @Test
    void resolveWhenPortsAndIpv6ThenAddressOnly() {
        assertEquals("203.0.113.9", xff.resolve(from("10.1.1.1", "x-forwarded-for", "203.0.113.9:4711")).remoteAddress());
        assertEquals("2001:db9:0:0:0:0:0:1", xff.resolve(from("2001:db8::5", "x-forwarded-for", "[2001:db9::1]:80")).remoteAddress());
        assertEquals("2001:db9:0:0:0:0:0:1", xff.resolve(from("192.0.2.1", "x-forwarded-for", "2001:db9::1")).remoteAddress());
    }

    @Test
    void resolveWhenForwardedHeaderThenForParameterAndXffIgnored() {
        assertEquals("2001:db8:cafe:0:0:0:0:17", fwd.resolve(from("10.1.1.1",
                "forwarded", "for=\"[2001:db8:cafe::17]:4711\";proto=https, for=10.3.3.3",
                "x-forwarded-for", "6.6.6.6")).remoteAddress());
        assertEquals("10.1.1.1", fwd.resolve(from("10.1.1.1", "forwarded", "for=_hidden")).remoteAddress());
        assertEquals("192.0.2.43", fwd.resolve(from("10.1.1.1", "forwarded", "For=192.0.2.43;by=10.1.1.1")).remoteAddress());
    }

    @Test
    void cidrWhenParsedThenMatchesItsBlockOnly() {
        var c = ClientAddresses.Cidr.parse("10.0.0.0/9");
        assertTrue(c.contains(ClientAddresses.address("10.127.255.255")));
        assertFalse(c.contains(ClientAddresses.address("10.128.0.0")));
        assertFalse(c.contains(ClientAddresses.address("::ffff:11.0.0.1")));
        assertTrue(ClientAddresses.Cidr.parse("0.0.0.0/0").contains(ClientAddresses.address("203.0.113.1")));
        assertFalse(ClientAddresses.Cidr.parse("0.0.0.0/0").contains(ClientAddresses.address("2001:db8::1")));
        assertTrue(ClientAddresses.Cidr.parse("::1").contains(ClientAddresses.address("::1")));
        for (String bad : List.of("10.0.0.0/33", "10.0.0.0/x", "proxy.internal", "", "10.0.0/8/1")) {
            var e = assertThrows(IllegalArgumentException.class, () -> ClientAddresses.Cidr.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("trusted-proxies: "), e.getMessage());
        }
    }
}
