/**
 * Flow 5: employers. ALS reports each employee's choice (anonymous, minimal, mandate) and its history is kept;
 * employers get, per period, the number of allocations to their employees who did not choose anonymity — never a
 * count below the threshold, never re-released — as signed JSON.
 */
package fr.logement.gateway.employer;
