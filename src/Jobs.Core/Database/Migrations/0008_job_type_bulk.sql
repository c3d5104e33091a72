-- 0008: which job types are bulk (docs/design.md, "Admission, limits and fairness"). A bulk job counts against the
-- workspace's bulk_jobs_per_hour per user; items_field names the payload array whose length the workspace's
-- max_batch_items caps (null: no item list).
ALTER TABLE job_types
    ADD COLUMN bulk         boolean NOT NULL DEFAULT false,
    ADD COLUMN items_field  text;
