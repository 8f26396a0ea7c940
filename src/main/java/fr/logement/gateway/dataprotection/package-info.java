/**
 * Data-protection operations: what the gateway holds about a request (subject access and portability), the audit
 * chain's verification, and (to come) retention purges and erasure.
 */
package fr.logement.gateway.dataprotection;
