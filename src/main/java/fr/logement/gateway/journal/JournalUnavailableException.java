package fr.logement.gateway.journal;

/** The journal database cannot be reached: inputs are refused with 503 rather than accepted and then lost. */
public class JournalUnavailableException extends RuntimeException {
    public JournalUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
