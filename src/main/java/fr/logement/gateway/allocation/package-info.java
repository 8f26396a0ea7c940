/**
 * Flow 2: allocation events, landlord → gateway → ALS. A landlord reports, over signed SOAP or signed REST, what
 * became of the candidates and offers designated to it; the gateway checks signature, authorisation, schema and
 * state, makes the event durable, answers with a signed receipt, and forwards it to ALS filtered for
 * (als, allocation_event), with the score notices it implies.
 */
package fr.logement.gateway.allocation;
