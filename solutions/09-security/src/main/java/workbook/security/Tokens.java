package workbook.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived tokens that name a user: {@code alice.1767225600.<signature>}, the user, the second
 * the token expires (epoch seconds), and an HMAC-SHA256 of both with a secret only this server
 * knows. Anyone can read a token; only the server can make one that {@link #userOf} accepts.
 */
public final class Tokens {

    private static final String HMAC = "HmacSHA256";

    private final SecretKeySpec key;
    private final Clock clock;

    /** With a new random secret: tokens from another server, or from before a restart, are forged. */
    Tokens(Clock clock) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, HMAC);
        this.clock = clock;
    }

    /** A token that names {@code user} for {@code ttl} from now. */
    public String issue(String user, Duration ttl) {
        if (!SecurityServer.NAME.matcher(user).matches()) {
            throw new IllegalArgumentException("A user's name is 1 to 32 letters, digits, - or _: " + user);
        }
        String claim = user + "." + clock.instant().plus(ttl).getEpochSecond();
        return claim + "." + sign(claim);
    }

    /** The signature of {@code claim}: what only the holder of the secret can compute. */
    private String sign(String claim) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(claim.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every Java has HmacSHA256", e);
        }
    }

    /** The user that {@code token} names, or null unless it is one this server issued and has not expired. */
    // tag::verify[]
    public String userOf(String token) {
        String[] parts = token == null ? new String[0] : token.split("\\.", -1);
        if (parts.length != 3) {
            return null; // <1>
        }
        byte[] expected = sign(parts[0] + "." + parts[1]).getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected, parts[2].getBytes(StandardCharsets.UTF_8))) {
            return null; // <2>
        }
        Instant expiry = Instant.ofEpochSecond(Long.parseLong(parts[1])); // <3>
        return clock.instant().isBefore(expiry) ? parts[0] : null; // <4>
    }
    // end::verify[]
}
