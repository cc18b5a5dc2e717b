CREATE TABLE "cc_agent_days" (
	"org_id" uuid NOT NULL,
	"day" date NOT NULL,
	"agent_id" uuid NOT NULL,
	"team_id" uuid,
	"answered" integer NOT NULL,
	"handled" integer NOT NULL,
	"handle_seconds" double precision NOT NULL,
	"transferred" integer NOT NULL,
	"fcr_eligible" integer NOT NULL,
	"fcr_resolved" integer NOT NULL,
	"available_seconds" double precision NOT NULL,
	"on_call_seconds" double precision NOT NULL,
	"acw_seconds" double precision NOT NULL,
	"break_seconds" double precision NOT NULL,
	CONSTRAINT "cc_agent_days_org_id_day_agent_id_pk" PRIMARY KEY("org_id","day","agent_id")
);
--> statement-breakpoint
CREATE TABLE "cc_agent_intervals" (
	"org_id" uuid NOT NULL,
	"interval_start" timestamp with time zone NOT NULL,
	"agent_id" uuid NOT NULL,
	"team_id" uuid,
	"answered" integer NOT NULL,
	"handled" integer NOT NULL,
	"handle_seconds" double precision NOT NULL,
	"transferred" integer NOT NULL,
	"fcr_eligible" integer NOT NULL,
	"fcr_resolved" integer NOT NULL,
	"available_seconds" double precision NOT NULL,
	"on_call_seconds" double precision NOT NULL,
	"acw_seconds" double precision NOT NULL,
	"break_seconds" double precision NOT NULL,
	CONSTRAINT "cc_agent_intervals_org_id_interval_start_agent_id_pk" PRIMARY KEY("org_id","interval_start","agent_id")
);
--> statement-breakpoint
CREATE TABLE "cc_agent_state_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"state" text NOT NULL,
	"reason" text,
	"at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cc_agents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"user_id" uuid,
	"extension" text NOT NULL,
	"name" text NOT NULL,
	"team_id" uuid,
	"skills" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"state" text DEFAULT 'offline' NOT NULL,
	"state_since" timestamp with time zone,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cc_calls" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"call_id" text NOT NULL,
	"offered_at" timestamp with time zone,
	"queue_id" uuid,
	"queue_at" timestamp with time zone,
	"last_queue_id" uuid,
	"last_queue_at" timestamp with time zone,
	"answered_at" timestamp with time zone,
	"agent_id" uuid,
	"team_id" uuid,
	"abandoned_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"abandoned" boolean DEFAULT false NOT NULL,
	"transferred" boolean DEFAULT false NOT NULL,
	"acw_seconds" integer,
	"phone" text,
	"customer_id" uuid,
	"priority" smallint DEFAULT 0 NOT NULL,
	"wait_seconds" double precision GENERATED ALWAYS AS (EXTRACT(EPOCH FROM (COALESCE(answered_at, abandoned_at, ended_at) - offered_at))) STORED,
	"talk_seconds" double precision GENERATED ALWAYS AS (EXTRACT(EPOCH FROM (ended_at - answered_at))) STORED,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cc_cti_events" (
	"org_id" uuid NOT NULL,
	"event_id" text NOT NULL,
	"call_id" text NOT NULL,
	"type" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"queue" text,
	"agent" text,
	"phone" text,
	"acw_seconds" integer,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cc_cti_events_org_id_event_id_pk" PRIMARY KEY("org_id","event_id")
);
--> statement-breakpoint
CREATE TABLE "cc_ivr_versions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"tree" jsonb NOT NULL,
	"note" text,
	"published_by" uuid,
	"published_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cc_kpi_watermarks" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"calls_updated_at" timestamp with time zone NOT NULL,
	"states_recorded_at" timestamp with time zone NOT NULL,
	"ran_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cc_occupancy_intervals" (
	"org_id" uuid NOT NULL,
	"interval_start" timestamp with time zone NOT NULL,
	"available_seconds" double precision NOT NULL,
	"on_call_seconds" double precision NOT NULL,
	"acw_seconds" double precision NOT NULL,
	"break_seconds" double precision NOT NULL,
	CONSTRAINT "cc_occupancy_intervals_org_id_interval_start_pk" PRIMARY KEY("org_id","interval_start")
);
--> statement-breakpoint
CREATE TABLE "cc_queue_intervals" (
	"org_id" uuid NOT NULL,
	"interval_start" timestamp with time zone NOT NULL,
	"queue_id" uuid NOT NULL,
	"offered" integer NOT NULL,
	"answered" integer NOT NULL,
	"abandoned" integer NOT NULL,
	"short_abandoned" integer NOT NULL,
	"answered_in_target" integer NOT NULL,
	"sl_denominator" integer NOT NULL,
	"wait_seconds_answered" double precision NOT NULL,
	"handled" integer NOT NULL,
	"handle_seconds" double precision NOT NULL,
	"transferred" integer NOT NULL,
	"fcr_eligible" integer NOT NULL,
	"fcr_resolved" integer NOT NULL,
	CONSTRAINT "cc_queue_intervals_org_id_interval_start_queue_id_pk" PRIMARY KEY("org_id","interval_start","queue_id")
);
--> statement-breakpoint
CREATE TABLE "cc_queues" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"skill_id" uuid,
	"target_seconds" integer DEFAULT 20 NOT NULL,
	"service_level_goal" double precision DEFAULT 0.8 NOT NULL,
	"short_abandon_seconds" integer DEFAULT 5 NOT NULL,
	"exclude_short_abandons" boolean DEFAULT true NOT NULL,
	"overflow_queue_id" uuid,
	"overflow_after_seconds" integer,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cc_settings" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"fcr_window_hours" integer DEFAULT 24 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cc_skills" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cc_agent_days" ADD CONSTRAINT "cc_agent_days_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cc_agent_intervals" ADD CONSTRAINT "cc_agent_intervals_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cc_agent_state_events" ADD CONSTRAINT "cc_agent_state_events_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cc_agents" ADD CONSTRAINT "cc_agents_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cc_agents" ADD CONSTRAINT "cc_agents_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cc_agents" ADD CONSTRAINT "cc_agents_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cc_calls" ADD CONSTRAINT "cc_calls_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cc_cti_events" ADD CONSTRAINT "cc_cti_events_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cc_ivr_versions" ADD CONSTRAINT "cc_ivr_versions_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cc_kpi_watermarks" ADD CONSTRAINT "cc_kpi_watermarks_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cc_occupancy_intervals" ADD CONSTRAINT "cc_occupancy_intervals_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cc_queue_intervals" ADD CONSTRAINT "cc_queue_intervals_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cc_queues" ADD CONSTRAINT "cc_queues_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cc_settings" ADD CONSTRAINT "cc_settings_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cc_skills" ADD CONSTRAINT "cc_skills_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cc_agent_intervals_agent_idx" ON "cc_agent_intervals" USING btree ("org_id","agent_id","interval_start");--> statement-breakpoint
CREATE INDEX "cc_agent_state_events_agent_idx" ON "cc_agent_state_events" USING btree ("org_id","agent_id","at");--> statement-breakpoint
CREATE INDEX "cc_agent_state_events_org_at_idx" ON "cc_agent_state_events" USING btree ("org_id","at");--> statement-breakpoint
CREATE INDEX "cc_agent_state_events_recorded_idx" ON "cc_agent_state_events" USING btree ("org_id","recorded_at");--> statement-breakpoint
CREATE UNIQUE INDEX "cc_agents_org_extension" ON "cc_agents" USING btree ("org_id","extension");--> statement-breakpoint
CREATE UNIQUE INDEX "cc_agents_org_user" ON "cc_agents" USING btree ("org_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "cc_calls_org_call" ON "cc_calls" USING btree ("org_id","call_id");--> statement-breakpoint
CREATE INDEX "cc_calls_org_offered_idx" ON "cc_calls" USING btree ("org_id","offered_at");--> statement-breakpoint
CREATE INDEX "cc_calls_customer_idx" ON "cc_calls" USING btree ("org_id","customer_id","offered_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "cc_calls_phone_idx" ON "cc_calls" USING btree ("org_id","phone","offered_at");--> statement-breakpoint
CREATE INDEX "cc_calls_waiting_idx" ON "cc_calls" USING btree ("org_id","last_queue_id","offered_at") WHERE answered_at IS NULL AND ended_at IS NULL AND abandoned = false;--> statement-breakpoint
CREATE INDEX "cc_calls_updated_idx" ON "cc_calls" USING btree ("org_id","updated_at");--> statement-breakpoint
CREATE INDEX "cc_cti_events_call_idx" ON "cc_cti_events" USING btree ("org_id","call_id");--> statement-breakpoint
CREATE UNIQUE INDEX "cc_ivr_versions_org_version" ON "cc_ivr_versions" USING btree ("org_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "cc_queues_org_key" ON "cc_queues" USING btree ("org_id","key");--> statement-breakpoint
CREATE UNIQUE INDEX "cc_skills_org_key" ON "cc_skills" USING btree ("org_id","key");