-- The request numbers (NUR) an audited operation concerned, comma-separated, so that the audit trail answers
-- "who touched this request, when". Entries written before this column have none (their hashes are unchanged:
-- the column enters an entry's hash only when it is set).
alter table audit_entry add column request_numbers varchar(2000);
