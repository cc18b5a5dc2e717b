ALTER TABLE "customer_values" ADD COLUMN "rfm_excluded_orders" integer;--> statement-breakpoint
ALTER TABLE "customer_values" ADD COLUMN "clv_excluded_orders" integer;