package dev.mesa.websocket;

/** UTF-8 length without encoding: size limits are in bytes, the container hands us chars. */
final class Utf8 {

    private Utf8() {
    }

    static long length(CharSequence s) {
        long n = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** Cuts a close reason to the 123 bytes a close frame can carry. */
    static String closeReason(String reason) {
        if (reason == null) {
            return "";
        }
        String r = reason;
        while (length(r) > 123) {
            r = r.substring(0, r.length() - 1);
        }
        return r;
    }
}
