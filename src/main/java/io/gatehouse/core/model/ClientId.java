package io.gatehouse.core.model;

/** RFC 6749 client identifier: 1 to 50 visible ASCII characters (the seeds' limit), no controls. */
public record ClientId(String value) {
    public static final int MAX_LENGTH = 50;

    public ClientId {
        if (!isValid(value)) {
            throw new IllegalArgumentException("client id must be 1 to " + MAX_LENGTH + " visible ASCII characters");
        }
    }

    public static boolean isValid(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) return false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7E) return false;
        }
        return true;
    }

    @Override
    public String toString() {
        return value;
    }
}
