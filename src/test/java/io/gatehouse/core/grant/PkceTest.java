package io.gatehouse.core.grant;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class PkceTest {
    @Test
    void s256MatchesRfc7636AppendixB() {
        String verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        assertEquals("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", Pkce.s256(verifier));
        assertTrue(Pkce.matches(verifier, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
        assertFalse(Pkce.matches(verifier + "x", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
    }

    @Test
    void verifierSyntaxIsEnforced() {
        assertFalse(Pkce.isValidVerifier("a".repeat(42)));
        assertTrue(Pkce.isValidVerifier("a".repeat(43)));
        assertTrue(Pkce.isValidVerifier("a".repeat(128)));
        assertFalse(Pkce.isValidVerifier("a".repeat(129)));
        assertFalse(Pkce.isValidVerifier("a".repeat(42) + "+"));
        assertTrue(Pkce.isValidVerifier("-._~" + "a".repeat(40)));
        assertFalse(Pkce.matches("short", Pkce.s256("short")));
    }

    @Test
    void challengeSyntaxIsEnforced() {
        assertTrue(Pkce.isValidS256Challenge("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
        assertFalse(Pkce.isValidS256Challenge("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c"));
        assertFalse(Pkce.isValidS256Challenge("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM"));
    }
}
