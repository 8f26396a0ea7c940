/** Retention periods as data (config/retention.yaml); the purge that applies them comes with the data-protection operations. */
package fr.logement.gateway.retention;
