CREATE TABLE "wfm_forecasts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"series" text NOT NULL,
	"source" text NOT NULL,
	"interval_minutes" smallint NOT NULL,
	"method" text NOT NULL,
	"accuracy" jsonb,
	"baseline" jsonb,
	"holdout" jsonb,
	"dates" jsonb NOT NULL,
	"mean" jsonb NOT NULL,
	"lower" jsonb NOT NULL,
	"upper" jsonb NOT NULL,
	"aht_seconds" jsonb NOT NULL,
	"coverage" double precision NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wfm_interval_history" (
	"org_id" uuid NOT NULL,
	"series" text NOT NULL,
	"interval_start" timestamp with time zone NOT NULL,
	"interval_minutes" smallint NOT NULL,
	"calls" integer NOT NULL,
	"handle_seconds" double precision,
	CONSTRAINT "wfm_interval_history_org_id_series_interval_start_pk" PRIMARY KEY("org_id","series","interval_start")
);
--> statement-breakpoint
CREATE TABLE "wfm_requirements" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"forecast_id" uuid NOT NULL,
	"interval_minutes" smallint NOT NULL,
	"target" jsonb NOT NULL,
	"dates" jsonb NOT NULL,
	"agents" jsonb NOT NULL,
	"scheduled" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wfm_roster_shifts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"roster_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"day" integer NOT NULL,
	"shift_id" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wfm_rosters" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"shift_plan_id" uuid NOT NULL,
	"status" text NOT NULL,
	"start_date" date NOT NULL,
	"days" integer NOT NULL,
	"problem" jsonb NOT NULL,
	"objective" double precision,
	"result" jsonb,
	"error" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "wfm_shift_plans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"requirement_id" uuid NOT NULL,
	"status" text NOT NULL,
	"interval_minutes" smallint NOT NULL,
	"start_date" date NOT NULL,
	"problem" jsonb NOT NULL,
	"shifts_used" integer,
	"cost" double precision,
	"lower_bound" double precision,
	"gap" double precision,
	"result" jsonb,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "wfm_shift_templates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" text DEFAULT 'standard' NOT NULL,
	"length_minutes" integer NOT NULL,
	"cost" double precision NOT NULL,
	"start_minutes" jsonb,
	"break_rule" jsonb,
	"max_per_day" integer,
	"active" integer DEFAULT 1 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wfm_swap_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"roster_id" uuid NOT NULL,
	"from_agent_id" uuid NOT NULL,
	"from_shift_id" uuid NOT NULL,
	"to_agent_id" uuid NOT NULL,
	"to_shift_id" uuid,
	"status" text DEFAULT 'pending' NOT NULL,
	"note" text,
	"violations" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "wfm_forecasts" ADD CONSTRAINT "wfm_forecasts_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wfm_forecasts" ADD CONSTRAINT "wfm_forecasts_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wfm_interval_history" ADD CONSTRAINT "wfm_interval_history_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wfm_requirements" ADD CONSTRAINT "wfm_requirements_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wfm_roster_shifts" ADD CONSTRAINT "wfm_roster_shifts_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wfm_rosters" ADD CONSTRAINT "wfm_rosters_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wfm_shift_plans" ADD CONSTRAINT "wfm_shift_plans_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wfm_shift_templates" ADD CONSTRAINT "wfm_shift_templates_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wfm_swap_requests" ADD CONSTRAINT "wfm_swap_requests_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "wfm_forecasts_org_idx" ON "wfm_forecasts" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "wfm_requirements_org_idx" ON "wfm_requirements" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "wfm_roster_shifts_roster_idx" ON "wfm_roster_shifts" USING btree ("org_id","roster_id","agent_id");--> statement-breakpoint
CREATE INDEX "wfm_roster_shifts_agent_idx" ON "wfm_roster_shifts" USING btree ("org_id","agent_id","starts_at");--> statement-breakpoint
CREATE INDEX "wfm_rosters_org_idx" ON "wfm_rosters" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "wfm_shift_plans_org_idx" ON "wfm_shift_plans" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "wfm_shift_templates_org_idx" ON "wfm_shift_templates" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "wfm_swap_requests_org_idx" ON "wfm_swap_requests" USING btree ("org_id","roster_id");