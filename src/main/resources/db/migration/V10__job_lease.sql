-- Singleton jobs (registry imports, SNE sync, employer reports, purge) run on one gateway instance at a time:
-- the instance holding a job's lease runs it and renews the lease while it lives; when it dies the lease
-- expires and the next instance whose timer fires takes it over. Times are the database's own clock.
create table job_lease (
    job         varchar(64)   primary key,
    holder      varchar(128)  not null,
    expires_at  timestamp with time zone not null
);
