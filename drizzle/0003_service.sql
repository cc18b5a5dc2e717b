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
CREATE UNIQUE INDEX "sla_policies_org_name_key" ON "sla_policies" USING btree ("org_id","name");