package io.gatehouse.core.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OIDC Core §5.1.1 address claim: a JSON object with the members below, all strings. Empty members are left out;
 * an address has at least one member. {@code street_address} and {@code formatted} may span lines ("\n").
 */
public record Address(Optional<String> formatted, Optional<String> streetAddress, Optional<String> locality,
                      Optional<String> region, Optional<String> postalCode, Optional<String> country) {
    /** The members of §5.1.1, in the order the spec lists them. */
    public static final List<String> MEMBERS = List.of("formatted", "street_address", "locality", "region",
            "postal_code", "country");

    public Address {
        formatted = clean(formatted);
        streetAddress = clean(streetAddress);
        locality = clean(locality);
        region = clean(region);
        postalCode = clean(postalCode);
        country = clean(country);
        if (formatted.isEmpty() && streetAddress.isEmpty() && locality.isEmpty() && region.isEmpty()
                && postalCode.isEmpty() && country.isEmpty()) {
            throw new IllegalArgumentException("an address needs at least one member");
        }
    }

    /** An address with only {@code formatted} (what a plain string address becomes). */
    public static Address formatted(String text) {
        return new Address(Optional.of(text), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    /**
     * From the members of a JSON object (as parsed by the caller).
     *
     * @return empty for an object without members (no address)
     * @throws IllegalArgumentException naming an unknown member or one that is not a string
     */
    public static Optional<Address> fromMembers(Map<String, ?> members) {
        for (Map.Entry<String, ?> e : members.entrySet()) {
            if (!MEMBERS.contains(e.getKey())) {
                throw new IllegalArgumentException("address member '" + e.getKey() + "' is not one of " + MEMBERS);
            }
            if (!(e.getValue() instanceof String)) {
                throw new IllegalArgumentException("address member '" + e.getKey() + "' must be a string");
            }
        }
        if (members.values().stream().allMatch(v -> ((String) v).isEmpty())) return Optional.empty();
        java.util.function.Function<String, Optional<String>> m = k -> Optional.ofNullable((String) members.get(k));
        return Optional.of(new Address(m.apply("formatted"), m.apply("street_address"), m.apply("locality"),
                m.apply("region"), m.apply("postal_code"), m.apply("country")));
    }

    /** The claim value: the members present, by their §5.1.1 names. */
    public Map<String, String> members() {
        Map<String, String> out = new LinkedHashMap<>();
        formatted.ifPresent(v -> out.put("formatted", v));
        streetAddress.ifPresent(v -> out.put("street_address", v));
        locality.ifPresent(v -> out.put("locality", v));
        region.ifPresent(v -> out.put("region", v));
        postalCode.ifPresent(v -> out.put("postal_code", v));
        country.ifPresent(v -> out.put("country", v));
        return out;
    }

    private static Optional<String> clean(Optional<String> v) {
        return v == null ? Optional.empty() : v.filter(x -> !x.isEmpty());
    }
}
