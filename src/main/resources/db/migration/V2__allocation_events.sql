-- The candidates of each designation (request number and rank), so that allocation events can be checked
-- against what the landlord actually received. No other personal data.
create table designation_candidate (
    message_id     varchar(80)  not null,
    candidate_rank integer      not null,
    numero_unique  varchar(18)  not null,
    constraint designation_candidate_pk primary key (message_id, numero_unique)
);

-- Allocation events reported by landlords, one row per accepted message. The receipt is kept so that the same
-- message sent again gets the same receipt back.
create table allocation_event (
    landlord_id             varchar(64)  not null,
    message_id              varchar(80)  not null,
    event_type              varchar(40)  not null,
    designation_message_id  varchar(80),
    numero_unique           varchar(18),
    decision                varchar(40),
    event_date              date         not null,
    body_digest             varchar(80)  not null,
    channel                 varchar(8)   not null,
    received_at             timestamp with time zone not null,
    status                  varchar(24)  not null,
    receipt                 varchar(2000) not null,
    forwarded               varchar(20000) not null,
    constraint allocation_event_pk primary key (landlord_id, message_id)
);
create index allocation_event_designation on allocation_event (designation_message_id);

-- Score notices for ALS (+40 not retained with a complete file; +5 file not transmitted or offer taken back,
-- the +5s capped at 100 per applicant).
create table score_notice (
    numero_unique   varchar(18)  not null,
    landlord_id     varchar(64)  not null,
    event_message_id varchar(80) not null,
    reason          varchar(40)  not null,
    points          integer      not null,
    created_at      timestamp with time zone not null,
    constraint score_notice_pk primary key (landlord_id, event_message_id, numero_unique)
);
create index score_notice_applicant on score_notice (numero_unique);
