package dev.mesa.runtime;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Deployment problems, collected so that one failed deployment reports all of
 * them at once, each with its stable {@code MESA-0xx} code.
 */
final class Problems {

    static final String INVALID_PATH = "MESA-001";
    static final String DUPLICATE_ENDPOINT = "MESA-002";
    static final String BAD_PARAMETER = "MESA-003";
    static final String BAD_RETURN_TYPE = "MESA-004";
    static final String DUPLICATE_MESSAGE_HANDLER = "MESA-005";
    static final String DUPLICATE_LIFECYCLE_HANDLER = "MESA-006";
    static final String BAD_METHOD = "MESA-007";
    static final String BAD_SCOPE = "MESA-008";
    static final String BAD_CONFIG_VALUE = "MESA-010";
    static final String SYNC_PREREQUISITES = "MESA-011";
    static final String AUTHENTICATOR_MISSING = "MESA-012";
    static final String BAD_ORIGIN = "MESA-013";
    static final String REDIS_CONFLICT = "MESA-014";

    /** A global key read by every endpoint is still one problem. */
    private final Set<String> messages = new LinkedHashSet<>();

    void add(String code, String where, String what) {
        messages.add(code + ": " + where + ": " + what);
    }

    boolean isEmpty() {
        return messages.isEmpty();
    }

    /** @return one report naming every problem, one per line */
    String report() {
        StringBuilder sb = new StringBuilder("Mesa found ").append(messages.size())
                .append(messages.size() == 1 ? " problem" : " problems")
                .append(" in this application and cannot deploy it:");
        for (String m : messages) {
            sb.append(System.lineSeparator()).append("  ").append(m);
        }
        return sb.toString();
    }
}
