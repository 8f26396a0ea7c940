/**
 * Flow 3: registry synchronisation. Departmental shared files (CSV with a detached CMS signature) are checked, then
 * streamed record by record in bounded memory, validated, bridged to the national model, made idempotent by
 * (request number, version), routed to ALS and to the landlords whose territory covers a wished commune, filtered
 * for (recipient, registry), with a checkpoint to resume after a crash and a reconciliation report.
 */
package fr.logement.gateway.registry;
