package dev.refinery.domain;

import org.junit.jupiter.api.Test;

import static dev.refinery.domain.Rejection.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;

class DigestTest {
    private static final String FORMAT = "must be 'sha256:' and 64 lower-case hex digits";
    private static final String HEX = "0123456789abcdef".repeat(4);

    @Test
    void sha256WithSixtyFourLowerCaseHexDigitsIsADigest() {
        assertEquals("sha256:" + HEX, new Digest("sha256:" + HEX).toString());
    }

    @Test
    void upperCaseHexIsRejected() {
        String text = "sha256:" + HEX.toUpperCase();
        assertRejected(() -> new Digest(text), "digest", text, -1, FORMAT);
    }

    @Test
    void wrongLengthIsRejected() {
        assertRejected(() -> new Digest("sha256:" + HEX.substring(1)), "digest", "sha256:" + HEX.substring(1), -1, FORMAT);
        assertRejected(() -> new Digest("sha256:" + HEX + "0"), "digest", "sha256:" + HEX + "0", -1, FORMAT);
    }

    @Test
    void otherAlgorithmsAndBareHexAreRejected() {
        assertRejected(() -> new Digest("sha512:" + HEX), "digest", "sha512:" + HEX, -1, FORMAT);
        assertRejected(() -> new Digest(HEX), "digest", HEX, -1, FORMAT);
        assertRejected(() -> new Digest(null), "digest", null, -1, FORMAT);
    }
}
