-- migrator:optional
-- migrator:no-transaction
-- migrator:tablespace
--
-- 01_create_tablespace.sql: an optional dedicated tablespace for the IMS metadata.
--
-- Needs a superuser and an empty directory on the database server, owned by the
-- server's OS user (usually postgres):
--     sudo install -d -o postgres -g postgres -m 700 /var/lib/postgresql/ims_metadata_tbs
-- Skip it where you have no access to the server's file system (containers, managed
-- services): `--skip-tablespace` with the Migrator, or simply do not run this file.
-- CREATE TABLESPACE cannot run inside a transaction, hence the no-transaction marker;
-- the optional marker lets the Migrator warn and carry on when the directory is missing.
--
-- Nothing in 02..07 names the tablespace, so the schema works with or without it. To put
-- the database into it afterwards (no other connections may be open):
--     ALTER DATABASE ims_crawler SET TABLESPACE ims_metadata_tbs;

CREATE TABLESPACE ims_metadata_tbs LOCATION '/var/lib/postgresql/ims_metadata_tbs';
