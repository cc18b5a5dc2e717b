CREATE TABLE "job_effects" (
	"org_id" uuid NOT NULL,
	"job_name" text NOT NULL,
	"effect_key" text NOT NULL,
	"done_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "job_effects_pkey" PRIMARY KEY("org_id","job_name","effect_key")
);
--> statement-breakpoint
CREATE TABLE "outbox_messages" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"recipient" text NOT NULL,
	"customer_id" uuid,
	"user_id" uuid,
	"subject" text,
	"body" text NOT NULL,
	"template_key" text,
	"template_params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"reason" text,
	"dedupe_key" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"external_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "job_effects" ADD CONSTRAINT "job_effects_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox_messages" ADD CONSTRAINT "outbox_messages_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox_messages" ADD CONSTRAINT "outbox_messages_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox_messages" ADD CONSTRAINT "outbox_messages_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "job_effects_done_idx" ON "job_effects" USING btree ("done_at");--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_messages_org_dedupe_key" ON "outbox_messages" USING btree ("org_id","dedupe_key");--> statement-breakpoint
CREATE INDEX "outbox_messages_org_id_idx" ON "outbox_messages" USING btree ("org_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "outbox_messages_org_customer_idx" ON "outbox_messages" USING btree ("org_id","customer_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "outbox_messages_pending_idx" ON "outbox_messages" USING btree ("id") WHERE "outbox_messages"."status" = 'pending';