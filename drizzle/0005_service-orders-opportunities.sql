CREATE TABLE "callbacks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"service_order_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"assignee_user_id" uuid,
	"status" text DEFAULT 'pending' NOT NULL,
	"outcome" text,
	"note" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "escalation_rules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"on_state" text NOT NULL,
	"target" text NOT NULL,
	"policy_id" uuid,
	"types" text[] DEFAULT '{}'::text[] NOT NULL,
	"priorities" text[] DEFAULT '{}'::text[] NOT NULL,
	"action" text NOT NULL,
	"target_user_id" uuid,
	"target_team_id" uuid,
	"level" integer DEFAULT 1 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"org_id" uuid NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"response" jsonb,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "idempotency_keys_org_id_key_pk" PRIMARY KEY("org_id","key")
);
--> statement-breakpoint
CREATE TABLE "service_order_counters" (
	"org_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "service_order_counters_org_id_year_pk" PRIMARY KEY("org_id","year")
);
--> statement-breakpoint
CREATE TABLE "service_order_escalations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"service_order_id" uuid NOT NULL,
	"rule_id" uuid NOT NULL,
	"level" integer NOT NULL,
	"reason" text NOT NULL,
	"target" text,
	"action" text NOT NULL,
	"target_user_id" uuid,
	"target_team_id" uuid,
	"applied_at" timestamp with time zone,
	"notified_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "service_order_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"service_order_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"actor_id" uuid,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "service_orders" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"number" text NOT NULL,
	"type" text NOT NULL,
	"customer_id" uuid NOT NULL,
	"order_id" uuid,
	"order_line_id" uuid,
	"product_id" uuid,
	"channel" text NOT NULL,
	"category" text,
	"priority" text NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"assignee_user_id" uuid,
	"assignee_team_id" uuid,
	"queue" text,
	"status" text NOT NULL,
	"sla_policy_id" uuid,
	"first_response_due_at" timestamp with time zone,
	"first_response_at_risk_at" timestamp with time zone,
	"resolution_due_at" timestamp with time zone,
	"resolution_at_risk_at" timestamp with time zone,
	"first_responded_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"first_response_sla_state" text DEFAULT 'ok' NOT NULL,
	"resolution_sla_state" text DEFAULT 'ok' NOT NULL,
	"sla_state" text DEFAULT 'ok' NOT NULL,
	"next_due_at" timestamp with time zone,
	"paused_since" timestamp with time zone,
	"paused_minutes" integer DEFAULT 0 NOT NULL,
	"pauses" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"resolution" text,
	"first_contact_resolved" boolean DEFAULT false NOT NULL,
	"customer_confirmed" boolean,
	"satisfaction" integer,
	"severity" text,
	"root_cause" text,
	"compensation_minor" integer,
	"compensation_currency" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "service_settings" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"complaint_team_id" uuid,
	"callback_max_attempts" integer DEFAULT 3 NOT NULL,
	"callback_retry_minutes" integer DEFAULT 120 NOT NULL,
	"callback_grace_minutes" integer DEFAULT 1440 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "service_types" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"key" text NOT NULL,
	"label_zh" text NOT NULL,
	"label_en" text NOT NULL,
	"callback_delay_minutes" integer,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sla_policies" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"types" text[] DEFAULT '{}'::text[] NOT NULL,
	"priorities" text[] DEFAULT '{}'::text[] NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"tier" text,
	"rank" integer DEFAULT 100 NOT NULL,
	"first_response_minutes" integer NOT NULL,
	"resolution_minutes" integer NOT NULL,
	"calendar" text DEFAULT 'business' NOT NULL,
	"calendar_id" uuid,
	"at_risk_percent" integer DEFAULT 80 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "order_lines" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"product_id" uuid NOT NULL,
	"sku" text NOT NULL,
	"name" text NOT NULL,
	"category" text,
	"quantity" integer NOT NULL,
	"unit_price_minor" bigint NOT NULL,
	"amount_minor" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "order_returns" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"order_line_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"quantity" integer NOT NULL,
	"amount_minor" bigint NOT NULL,
	"reason" text NOT NULL,
	"outcome" text,
	"status" text DEFAULT 'completed' NOT NULL,
	"actor_id" uuid,
	"at" timestamp with time zone NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "order_stage_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"stage" text NOT NULL,
	"from_stage" text,
	"at" timestamp with time zone NOT NULL,
	"actor_id" uuid,
	"note" text,
	"correction" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "order_stage_targets" (
	"org_id" uuid NOT NULL,
	"stage" text NOT NULL,
	"target_minutes" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "order_stage_targets_org_id_stage_pk" PRIMARY KEY("org_id","stage")
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"order_no" text,
	"customer_id" uuid NOT NULL,
	"owner_id" uuid,
	"channel" text NOT NULL,
	"currency" text DEFAULT 'CNY' NOT NULL,
	"total_minor" bigint NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"stage" text DEFAULT 'received' NOT NULL,
	"stage_at" timestamp with time zone NOT NULL,
	"ordered_at" timestamp with time zone NOT NULL,
	"note" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"sku" text NOT NULL,
	"name" text NOT NULL,
	"category" text,
	"currency" text DEFAULT 'CNY' NOT NULL,
	"price_minor" bigint NOT NULL,
	"cost_minor" bigint,
	"consumption_cycle_days" integer,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "replenishment_reminders" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"due_date" date NOT NULL,
	"last_purchase_at" timestamp with time zone NOT NULL,
	"basis" text NOT NULL,
	"interval_days" integer NOT NULL,
	"assignee_id" uuid,
	"channel" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"delivery_status" text NOT NULL,
	"delivery_ref" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"done_at" timestamp with time zone,
	"done_by" uuid,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
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
ALTER TABLE "teams" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "callbacks" ADD CONSTRAINT "callbacks_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalation_rules" ADD CONSTRAINT "escalation_rules_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_order_counters" ADD CONSTRAINT "service_order_counters_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_order_escalations" ADD CONSTRAINT "service_order_escalations_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_order_events" ADD CONSTRAINT "service_order_events_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_orders" ADD CONSTRAINT "service_orders_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_settings" ADD CONSTRAINT "service_settings_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_types" ADD CONSTRAINT "service_types_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD CONSTRAINT "sla_policies_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_returns" ADD CONSTRAINT "order_returns_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_returns" ADD CONSTRAINT "order_returns_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_returns" ADD CONSTRAINT "order_returns_order_line_id_order_lines_id_fk" FOREIGN KEY ("order_line_id") REFERENCES "public"."order_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_stage_events" ADD CONSTRAINT "order_stage_events_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_stage_events" ADD CONSTRAINT "order_stage_events_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_stage_targets" ADD CONSTRAINT "order_stage_targets_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "replenishment_reminders" ADD CONSTRAINT "replenishment_reminders_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "replenishment_reminders" ADD CONSTRAINT "replenishment_reminders_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "replenishment_reminders" ADD CONSTRAINT "replenishment_reminders_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
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
CREATE UNIQUE INDEX "callbacks_one_pending_key" ON "callbacks" USING btree ("service_order_id") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "callbacks_pending_due_idx" ON "callbacks" USING btree ("org_id","due_at","id") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "callbacks_mine_idx" ON "callbacks" USING btree ("org_id","assignee_user_id","due_at","id") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "escalation_rules_org_idx" ON "escalation_rules" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "idempotency_keys_created_idx" ON "idempotency_keys" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "service_order_escalations_once_key" ON "service_order_escalations" USING btree ("service_order_id","rule_id","level");--> statement-breakpoint
CREATE INDEX "service_order_escalations_pending_notify_idx" ON "service_order_escalations" USING btree ("created_at") WHERE action = 'notify' AND notified_at IS NULL;--> statement-breakpoint
CREATE INDEX "service_order_events_order_idx" ON "service_order_events" USING btree ("org_id","service_order_id","at","id");--> statement-breakpoint
CREATE INDEX "service_order_events_customer_idx" ON "service_order_events" USING btree ("org_id","customer_id","at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "service_orders_org_number_key" ON "service_orders" USING btree ("org_id","number");--> statement-breakpoint
CREATE INDEX "service_orders_org_created_idx" ON "service_orders" USING btree ("org_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "service_orders_customer_idx" ON "service_orders" USING btree ("org_id","customer_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "service_orders_mine_idx" ON "service_orders" USING btree ("org_id","assignee_user_id","next_due_at","id") WHERE status IN ('new','assigned','in_progress','waiting_on_customer');--> statement-breakpoint
CREATE INDEX "service_orders_team_idx" ON "service_orders" USING btree ("org_id","assignee_team_id","next_due_at","id") WHERE status IN ('new','assigned','in_progress','waiting_on_customer');--> statement-breakpoint
CREATE INDEX "service_orders_unassigned_idx" ON "service_orders" USING btree ("org_id","next_due_at","id") WHERE status IN ('new','assigned','in_progress','waiting_on_customer') AND assignee_user_id IS NULL;--> statement-breakpoint
CREATE INDEX "service_orders_sla_view_idx" ON "service_orders" USING btree ("org_id","sla_state","next_due_at","id") WHERE status IN ('new','assigned','in_progress','waiting_on_customer') AND sla_state <> 'ok';--> statement-breakpoint
CREATE INDEX "service_orders_scan_fr_ok_idx" ON "service_orders" USING btree ("first_response_at_risk_at") WHERE status IN ('new','assigned','in_progress','waiting_on_customer') AND first_responded_at IS NULL AND first_response_sla_state = 'ok';--> statement-breakpoint
CREATE INDEX "service_orders_scan_fr_risk_idx" ON "service_orders" USING btree ("first_response_due_at") WHERE status IN ('new','assigned','in_progress','waiting_on_customer') AND first_responded_at IS NULL AND first_response_sla_state = 'at_risk';--> statement-breakpoint
CREATE INDEX "service_orders_scan_res_ok_idx" ON "service_orders" USING btree ("resolution_at_risk_at") WHERE status IN ('new','assigned','in_progress','waiting_on_customer') AND resolution_sla_state = 'ok';--> statement-breakpoint
CREATE INDEX "service_orders_scan_res_risk_idx" ON "service_orders" USING btree ("resolution_due_at") WHERE status IN ('new','assigned','in_progress','waiting_on_customer') AND resolution_sla_state = 'at_risk';--> statement-breakpoint
CREATE INDEX "service_orders_complaints_idx" ON "service_orders" USING btree ("org_id","created_at") WHERE type = 'complaint';--> statement-breakpoint
CREATE UNIQUE INDEX "service_types_org_key" ON "service_types" USING btree ("org_id","key");--> statement-breakpoint
CREATE UNIQUE INDEX "sla_policies_org_name_key" ON "sla_policies" USING btree ("org_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "order_lines_order_key" ON "order_lines" USING btree ("order_id","line_no");--> statement-breakpoint
CREATE INDEX "order_lines_org_product_idx" ON "order_lines" USING btree ("org_id","product_id");--> statement-breakpoint
CREATE INDEX "order_returns_line_idx" ON "order_returns" USING btree ("org_id","order_line_id");--> statement-breakpoint
CREATE INDEX "order_returns_order_idx" ON "order_returns" USING btree ("org_id","order_id");--> statement-breakpoint
CREATE INDEX "order_returns_customer_idx" ON "order_returns" USING btree ("org_id","customer_id","at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "order_stage_events_order_idx" ON "order_stage_events" USING btree ("org_id","order_id","at","id");--> statement-breakpoint
CREATE INDEX "order_stage_events_customer_idx" ON "order_stage_events" USING btree ("org_id","customer_id","at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "orders_org_no_key" ON "orders" USING btree ("org_id","order_no") WHERE "orders"."order_no" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "orders_customer_idx" ON "orders" USING btree ("org_id","customer_id","ordered_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "orders_org_ordered_idx" ON "orders" USING btree ("org_id","ordered_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "orders_org_owner_idx" ON "orders" USING btree ("org_id","owner_id","ordered_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "orders_board_idx" ON "orders" USING btree ("org_id","stage","stage_at") WHERE "orders"."status" = 'open';--> statement-breakpoint
CREATE UNIQUE INDEX "products_org_sku_key" ON "products" USING btree ("org_id","sku");--> statement-breakpoint
CREATE INDEX "products_org_name_idx" ON "products" USING btree ("org_id","name","id");--> statement-breakpoint
CREATE UNIQUE INDEX "replenishment_reminders_key" ON "replenishment_reminders" USING btree ("org_id","customer_id","product_id","due_date");--> statement-breakpoint
CREATE INDEX "replenishment_reminders_assignee_idx" ON "replenishment_reminders" USING btree ("org_id","assignee_id","status","due_date","id");--> statement-breakpoint
CREATE INDEX "replenishment_reminders_delivery_idx" ON "replenishment_reminders" USING btree ("org_id","id") WHERE "replenishment_reminders"."delivery_status" = 'pending';--> statement-breakpoint
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