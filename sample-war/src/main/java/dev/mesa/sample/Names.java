package dev.mesa.sample;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Display names and the user ids derived from them.
 *
 * <p>This is a demo without passwords: the user id is the lower-cased name, so whoever signs in
 * as "Ann" is user {@code ann} on every device and receives the direct messages sent to
 * {@code ann} while nobody was signed in under that name. A real application gets the id from
 * its identity provider instead.
 */
public final class Names {

    /** Longest display name, in code points. */
    public static final int MAX_NAME_LENGTH = 32;

    /** Letters (with their combining marks) and digits, and single spaces, dots, dashes, underscores or apostrophes between them. */
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{M}\\p{N}]+(?:[ ._'\\-][\\p{L}\\p{M}\\p{N}]+)*");
    /** The shape of what {@link #userIdFor(String)} produces (it is also lower case). */
    private static final Pattern USER_ID = Pattern.compile("[\\p{L}\\p{M}\\p{N}]+(?:-[\\p{L}\\p{M}\\p{N}]+)*");

    private Names() {
    }

    /**
     * Normalises a display name typed by a user.
     *
     * @param raw the name as typed
     * @return the name, trimmed and NFC-normalised
     * @throws IllegalArgumentException with a message fit for the user when the name is not acceptable
     */
    public static String displayName(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new IllegalArgumentException("Please enter a name.");
        }
        String name = Normalizer.normalize(raw.strip(), Normalizer.Form.NFC);
        if (name.codePointCount(0, name.length()) > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("A name has at most " + MAX_NAME_LENGTH + " characters.");
        }
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "Use letters and digits, with single spaces, dots, dashes, underscores or apostrophes between them.");
        }
        return name;
    }

    /**
     * The user id for a display name: lower case, separators replaced by {@code -}.
     *
     * @param displayName a name accepted by {@link #displayName(String)}
     * @return the user id
     */
    public static String userIdFor(String displayName) {
        return displayName.toLowerCase(Locale.ROOT).replaceAll("[ ._'\\-]+", "-");
    }

    /**
     * @param id a candidate user id, e.g. the recipient of a direct message
     * @return whether it has the shape of an id made by {@link #userIdFor(String)}
     */
    public static boolean isUserId(String id) {
        return id != null && !id.isEmpty() && id.length() <= 4 * MAX_NAME_LENGTH
                && USER_ID.matcher(id).matches() && id.equals(id.toLowerCase(Locale.ROOT));
    }
}
