-- Each audit entry looks up the request numbers its message concerned by message id alone; without these
-- indexes that lookup read the whole table, under the lock on the audit chain's head, for every entry.
create index allocation_event_message on allocation_event (message_id);
create index employer_validation_message on employer_validation (message_id);
