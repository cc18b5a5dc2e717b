DROP INDEX "customers_org_province_idx";--> statement-breakpoint
DROP INDEX "customers_org_city_idx";--> statement-breakpoint
CREATE INDEX "customers_org_province_created_idx" ON "customers" USING btree ("org_id","province_code","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "customers_org_province_name_idx" ON "customers" USING btree ("org_id","province_code","name","id");--> statement-breakpoint
CREATE INDEX "customers_org_city_created_idx" ON "customers" USING btree ("org_id","city_code","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "customers_org_city_name_idx" ON "customers" USING btree ("org_id","city_code","name","id");