package dev.mesa.runtime;

/** Writes Mesa frames around an already-serialised body, so a body is serialised once. */
public final class Frames {

    private Frames() {
    }

    /**
     * @param op       the opcode
     * @param bodyJson the JSON of {@code d}
     * @param type     {@code t}, or {@code null} for none
     * @param sequence {@code s}, or 0 for none
     * @return {@code {"op":op,"d":body,"t":type,"s":sequence}}
     */
    public static String frame(int op, String bodyJson, String type, long sequence) {
        StringBuilder sb = new StringBuilder(bodyJson.length() + 40);
        sb.append("{\"op\":").append(op).append(",\"d\":").append(bodyJson);
        if (type != null) {
            sb.append(",\"t\":");
            quote(type, sb);
        }
        if (sequence > 0) {
            sb.append(",\"s\":").append(sequence);
        }
        return sb.append('}').toString();
    }

    /** @return a frame made by {@link #frame} with {@code "s":sequence} added, without serialising it again */
    public static String withSequence(String frame, long sequence) {
        return frame.substring(0, frame.length() - 1) + ",\"s\":" + sequence + "}";
    }

    /** Appends {@code s} as a JSON string. */
    public static void quote(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
