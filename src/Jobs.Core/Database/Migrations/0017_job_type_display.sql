-- 0017: how people see a job type (JobTypeDisplay): its title, a sentence per stage, its metrics' labels and order.
-- jsonb, not columns: the UI reads it whole and a worker publishes it whole with the type. Null for types published
-- by workers that predate it; the UI then shows the type's name.
ALTER TABLE job_types
    ADD COLUMN display jsonb;
