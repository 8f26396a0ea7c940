-- After a retention purge of old audit entries, the chain restarts from an anchor: the previous-hash of the
-- oldest entry kept, recorded when the older ones were deleted.
alter table audit_head add column anchor_hash varchar(80);
