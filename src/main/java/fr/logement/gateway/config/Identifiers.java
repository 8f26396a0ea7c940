package fr.logement.gateway.config;

/** Checks French company identifiers: SIREN (9 digits) and SIRET (14 digits), by their Luhn digit. */
public final class Identifiers {
    /** La Poste's SIREN: its SIRETs are valid when their digit sum is a multiple of 5, not by Luhn. */
    static final String LA_POSTE_SIREN = "356000000";

    private Identifiers() {}

    public static boolean isSiren(String value) {
        return value != null && value.matches("\\d{9}") && luhn(value);
    }

    public static boolean isSiret(String value) {
        if (value == null || !value.matches("\\d{14}")) return false;
        if (value.startsWith(LA_POSTE_SIREN)) {
            int sum = 0;
            for (char c : value.toCharArray()) sum += c - '0';
            return sum % 5 == 0;
        }
        return luhn(value);
    }

    /** Completes 8 digits into a valid SIREN (adds the Luhn digit). */
    public static String siren(String eightDigits) {
        return withCheckDigit(eightDigits);
    }

    /**
     * Completes a SIREN and a 4-digit establishment number into a valid SIRET: the Luhn digit, or for La Poste a last
     * digit that makes the digit sum a multiple of 5.
     */
    public static String siret(String siren, String fourDigits) {
        String body = siren + fourDigits;
        if (siren.equals(LA_POSTE_SIREN)) {
            int sum = 0;
            for (char c : body.toCharArray()) sum += c - '0';
            return body + ((5 - sum % 5) % 5);
        }
        return withCheckDigit(body);
    }

    private static String withCheckDigit(String body) {
        for (int d = 0; d <= 9; d++) {
            if (luhn(body + d)) return body + d;
        }
        throw new IllegalStateException("no Luhn digit");
    }

    static boolean luhn(String digits) {
        int sum = 0;
        boolean twice = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) d -= 9;
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }
}
