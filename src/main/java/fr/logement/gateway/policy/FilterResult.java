package fr.logement.gateway.policy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.SortedSet;

/**
 * What the filter kept and what it dropped: the filtered message, and for the journal the categories sent, the
 * categories and concrete field paths dropped (never their values), and how many NIRs were redacted in text.
 */
public record FilterResult(JsonNode filtered, SortedSet<String> categoriesSent, SortedSet<String> categoriesDropped,
                           List<String> droppedPaths, int redactions, boolean unknownFieldsDropped) {
}
