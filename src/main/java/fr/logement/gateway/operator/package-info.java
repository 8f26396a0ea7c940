/**
 * Operator tools over the running gateway: an operator token (generated under the data directory, owner-only) for
 * the loopback operator endpoints, and dead letters listed and replayed.
 */
package fr.logement.gateway.operator;
