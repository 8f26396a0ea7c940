package fr.logement.gateway.ingress.designation;

/** Recognises supporting documents by their first bytes (magic numbers), whatever they claim to be. */
final class MediaTypes {
    private static final byte[] PDF = {'%', 'P', 'D', 'F', '-'};
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};

    private MediaTypes() {}

    static boolean matches(String mediaType, byte[] head, int length) {
        return mediaType.equals(sniff(head, length));
    }

    static String sniff(byte[] head, int length) {
        if (startsWith(head, length, PDF)) return "application/pdf";
        if (startsWith(head, length, PNG)) return "image/png";
        if (startsWith(head, length, JPEG)) return "image/jpeg";
        return "an unknown type";
    }

    private static boolean startsWith(byte[] head, int length, byte[] magic) {
        if (length < magic.length) return false;
        for (int i = 0; i < magic.length; i++) if (head[i] != magic[i]) return false;
        return true;
    }
}
