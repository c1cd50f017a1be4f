-- Schema 6. Each week's revision: how many times its pick, skip or meeting time changed. The calendar feed's SEQUENCE
-- is this counter (calendar clients ignore a changed event whose SEQUENCE did not grow); plans already stored start at 0.
ALTER TABLE week_plans ADD COLUMN revision integer NOT NULL DEFAULT 0;
