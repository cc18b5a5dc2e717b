DROP INDEX "audit_org_at_idx";--> statement-breakpoint
CREATE INDEX "audit_org_id_idx" ON "audit_log" USING btree ("org_id","id");