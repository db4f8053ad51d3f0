package io.gatehouse.core.model;

/** What a dialect hands the core: who is calling and what they ask for. */
public record TokenCall(ClientAuth client, TokenRequest request) {
}
