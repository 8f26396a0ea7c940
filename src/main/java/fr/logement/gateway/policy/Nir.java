package fr.logement.gateway.policy;

import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The NIR (French social security number): validation of its key, and redaction of NIR-shaped numbers with a
 * valid key inside free text. The only rule about data that is hard-coded rather than configured.
 */
public final class Nir {
    public static final String REDACTED = "[NIR]";
    /** sex, year, month, département (or 2A/2B), commune, order, key; groups may be separated by a space, dot or hyphen. */
    private static final Pattern IN_TEXT = Pattern.compile(
            "(?<![0-9A-Za-z])([1-478])[ .-]?(\\d{2})[ .-]?(\\d{2})[ .-]?(\\d{2}|2[AaBb])[ .-]?(\\d{3})[ .-]?(\\d{3})[ .-]?(\\d{2})(?![0-9A-Za-z])");
    private static final BigInteger NINETY_SEVEN = BigInteger.valueOf(97);

    private Nir() {}

    /** Whether {@code value} (spaces allowed) is a NIR with a valid key. */
    public static boolean isValid(String value) {
        if (value == null) return false;
        Matcher m = IN_TEXT.matcher(value.trim());
        return m.matches() && keyMatches(m);
    }

    private static boolean keyMatches(Matcher m) {
        String month = m.group(3);
        int mm = Integer.parseInt(month);
        if (mm < 1 || (mm > 12 && mm < 20)) return false;
        String dep = m.group(4).toUpperCase();
        String numeric = m.group(1) + m.group(2) + month
                + (dep.equals("2A") ? "19" : dep.equals("2B") ? "18" : dep) + m.group(5) + m.group(6);
        int key = 97 - new BigInteger(numeric).mod(NINETY_SEVEN).intValue();
        return key == Integer.parseInt(m.group(7));
    }

    /** Replaces every NIR with a valid key found in {@code text}; returns the text and how many were replaced. */
    public static Redaction redact(String text) {
        if (text == null || text.length() < 15 || digits(text) < 11) return new Redaction(text, 0);
        Matcher m = IN_TEXT.matcher(text);
        StringBuilder out = new StringBuilder();
        int count = 0;
        while (m.find()) {
            if (keyMatches(m)) {
                m.appendReplacement(out, Matcher.quoteReplacement(REDACTED));
                count++;
            } else {
                m.appendReplacement(out, Matcher.quoteReplacement(m.group()));
            }
        }
        m.appendTail(out);
        return new Redaction(out.toString(), count);
    }

    /** A NIR has at least 11 digits (13 less a Corsican 2A/2B département): fewer, and the regex need not run. */
    private static int digits(String text) {
        int n = 0;
        for (int i = 0; i < text.length() && n < 11; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') n++;
        }
        return n;
    }

    public record Redaction(String text, int count) {}
}
