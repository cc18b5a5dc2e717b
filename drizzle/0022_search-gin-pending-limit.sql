-- The same end state as drizzle-kit's DROP and CREATE of these indexes, without rebuilding them.
ALTER INDEX "customers_name_grams_idx" SET (gin_pending_list_limit = 256);--> statement-breakpoint
ALTER INDEX "customers_pinyin_trgm_idx" SET (gin_pending_list_limit = 256);--> statement-breakpoint
ALTER INDEX "customers_phone_trgm_idx" SET (gin_pending_list_limit = 256);--> statement-breakpoint
ALTER INDEX "customers_email_trgm_idx" SET (gin_pending_list_limit = 256);
