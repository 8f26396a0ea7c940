-- Tamper evidence: each audit entry carries the hash of the one before and its own hash over both; the head
-- row holds the last hash, so a deleted tail shows too. Appending locks the head row: one chain, in order, even
-- with several gateway instances on one database.
alter table audit_entry add column prev_hash varchar(80);
alter table audit_entry add column entry_hash varchar(80);
create table audit_head (
    id         integer      primary key,
    last_id    bigint       not null,
    last_hash  varchar(80)  not null
);
insert into audit_head (id, last_id, last_hash) values (1, 0, 'sha256:genesis');
