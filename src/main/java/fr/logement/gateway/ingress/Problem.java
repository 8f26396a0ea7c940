package fr.logement.gateway.ingress;

/**
 * One reason an input was refused: where (a JSON pointer or field path such as {@code candidates[1].rank}) and
 * why, in words an operator can act on. Never holds the offending value, which may be personal data.
 */
public record Problem(String path, String reason) {
}
