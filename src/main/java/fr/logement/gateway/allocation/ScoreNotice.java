package fr.logement.gateway.allocation;

/** Points an event earns an applicant on ALS's side: +40 not retained with a complete file, +5 otherwise capped. */
public record ScoreNotice(String numeroUnique, String reason, int points) {}
