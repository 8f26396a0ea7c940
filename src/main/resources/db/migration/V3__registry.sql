-- Registry records imported (from a shared file or the SNE): one row per (request number, version), so that an
-- import is idempotent. No personal data beyond the opaque request number.
create table registry_record (
    request_number varchar(18)  not null,
    version        integer      not null,
    file_type      varchar(3)   not null,
    source_id      varchar(64)  not null,
    imported_at    timestamp with time zone not null,
    constraint registry_record_pk primary key (request_number, version)
);

-- Which landlord received which request, so radiations and rectifications reach every earlier recipient.
create table registry_delivery (
    request_number varchar(18)  not null,
    recipient_id   varchar(64)  not null
);
create index registry_delivery_request on registry_delivery (request_number);

-- One row per imported file (by the SHA-256 its signature covers): progress checkpoint and final report.
create table import_run (
    file_digest    varchar(80)  primary key,
    sender_id      varchar(64)  not null,
    file_name      varchar(255) not null,
    status         varchar(16)  not null,
    records_done   bigint       not null,
    checkpoint     varchar(20000) not null,
    started_at     timestamp with time zone not null,
    updated_at     timestamp with time zone not null,
    report         varchar(20000)
);
