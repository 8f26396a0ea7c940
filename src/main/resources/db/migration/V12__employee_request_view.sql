-- What ALS lets an employer see of an employee's request, kept at the door only as far as the widest employer choice
-- (mandate) may see it: the choice in force when the employer asks narrows it further (minimal: names, request
-- number, status; anonymous: nothing). One row per request, replaced by the latest one ALS sends.
create table employee_request_view (
    numero_unique   varchar(18)    primary key,
    employer_siret  varchar(14)    not null,
    body            varchar(20000) not null,
    updated_at      timestamp with time zone not null
);
