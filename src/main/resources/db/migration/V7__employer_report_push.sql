-- When a released report reached the employer's endpoint (null: not pushed yet, or no endpoint).
alter table employer_report add column pushed_at timestamp with time zone;
