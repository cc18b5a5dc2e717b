CREATE TABLE "commission_ledger" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"staff_id" uuid NOT NULL,
	"opportunity_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"order_line_id" uuid,
	"return_id" uuid,
	"rule_id" uuid,
	"kind" text NOT NULL,
	"month" text NOT NULL,
	"base_minor" bigint NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "commission_rules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"product_category" text,
	"kind" text NOT NULL,
	"basis_points" integer,
	"fixed_minor" bigint,
	"currency" text,
	"priority" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "latent_needs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"service_order_id" uuid,
	"found_by" uuid,
	"current_situation" text DEFAULT '' NOT NULL,
	"need" text NOT NULL,
	"grade" text NOT NULL,
	"product_category" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "opportunities" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"need_id" uuid NOT NULL,
	"owner_user_id" uuid,
	"owner_team_id" uuid,
	"stage" text DEFAULT 'new' NOT NULL,
	"expected_value_minor" bigint,
	"currency" text DEFAULT 'CNY' NOT NULL,
	"next_step" text,
	"follow_up_due_at" timestamp with time zone NOT NULL,
	"won_order_id" uuid,
	"lost_reason" text,
	"closed_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "opportunity_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"opportunity_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"from_stage" text,
	"to_stage" text,
	"actor_id" uuid,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "opportunity_settings" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"default_team_id" uuid,
	"follow_up_days" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "commission_ledger" ADD CONSTRAINT "commission_ledger_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commission_ledger" ADD CONSTRAINT "commission_ledger_staff_id_users_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commission_ledger" ADD CONSTRAINT "commission_ledger_opportunity_id_opportunities_id_fk" FOREIGN KEY ("opportunity_id") REFERENCES "public"."opportunities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commission_rules" ADD CONSTRAINT "commission_rules_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "latent_needs" ADD CONSTRAINT "latent_needs_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "latent_needs" ADD CONSTRAINT "latent_needs_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "latent_needs" ADD CONSTRAINT "latent_needs_found_by_users_id_fk" FOREIGN KEY ("found_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunities" ADD CONSTRAINT "opportunities_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunities" ADD CONSTRAINT "opportunities_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunities" ADD CONSTRAINT "opportunities_need_id_latent_needs_id_fk" FOREIGN KEY ("need_id") REFERENCES "public"."latent_needs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunities" ADD CONSTRAINT "opportunities_owner_user_id_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunities" ADD CONSTRAINT "opportunities_owner_team_id_teams_id_fk" FOREIGN KEY ("owner_team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunity_events" ADD CONSTRAINT "opportunity_events_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunity_events" ADD CONSTRAINT "opportunity_events_opportunity_id_opportunities_id_fk" FOREIGN KEY ("opportunity_id") REFERENCES "public"."opportunities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunity_settings" ADD CONSTRAINT "opportunity_settings_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunity_settings" ADD CONSTRAINT "opportunity_settings_default_team_id_teams_id_fk" FOREIGN KEY ("default_team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "commission_ledger_earned_key" ON "commission_ledger" USING btree ("opportunity_id","order_line_id") WHERE "commission_ledger"."kind" = 'earned';--> statement-breakpoint
CREATE UNIQUE INDEX "commission_ledger_reversed_key" ON "commission_ledger" USING btree ("opportunity_id","order_line_id","return_id") WHERE "commission_ledger"."kind" = 'reversed';--> statement-breakpoint
CREATE INDEX "commission_ledger_staff_month_idx" ON "commission_ledger" USING btree ("org_id","staff_id","month","id");--> statement-breakpoint
CREATE INDEX "commission_ledger_org_month_idx" ON "commission_ledger" USING btree ("org_id","month");--> statement-breakpoint
CREATE INDEX "commission_ledger_line_idx" ON "commission_ledger" USING btree ("org_id","order_line_id");--> statement-breakpoint
CREATE INDEX "commission_rules_org_idx" ON "commission_rules" USING btree ("org_id","active");--> statement-breakpoint
CREATE INDEX "latent_needs_customer_idx" ON "latent_needs" USING btree ("org_id","customer_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "latent_needs_found_by_idx" ON "latent_needs" USING btree ("org_id","found_by","created_at");--> statement-breakpoint
CREATE INDEX "latent_needs_org_created_idx" ON "latent_needs" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "opportunities_need_key" ON "opportunities" USING btree ("need_id");--> statement-breakpoint
CREATE UNIQUE INDEX "opportunities_won_order_key" ON "opportunities" USING btree ("org_id","won_order_id") WHERE "opportunities"."won_order_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "opportunities_owner_due_idx" ON "opportunities" USING btree ("org_id","owner_user_id","follow_up_due_at","id");--> statement-breakpoint
CREATE INDEX "opportunities_team_due_idx" ON "opportunities" USING btree ("org_id","owner_team_id","follow_up_due_at","id");--> statement-breakpoint
CREATE INDEX "opportunities_org_due_idx" ON "opportunities" USING btree ("org_id","follow_up_due_at","id");--> statement-breakpoint
CREATE INDEX "opportunities_customer_idx" ON "opportunities" USING btree ("org_id","customer_id");--> statement-breakpoint
CREATE INDEX "opportunity_events_opp_idx" ON "opportunity_events" USING btree ("org_id","opportunity_id","at","id");--> statement-breakpoint
CREATE INDEX "opportunity_events_customer_idx" ON "opportunity_events" USING btree ("org_id","customer_id","at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "opportunity_events"."kind" = 'stage';