-- Schema 3. The workspace's own name on its platform (Discord server, Slack workspace), shown on the group's page
-- when the moderators set no /settings name. Empty until an adapter learns it.
ALTER TABLE groups ADD COLUMN platform_name text NOT NULL DEFAULT '';
