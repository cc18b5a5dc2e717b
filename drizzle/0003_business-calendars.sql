CREATE TABLE "business_calendars" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"timezone" text NOT NULL,
	"week" jsonb NOT NULL,
	"use_china_holidays" boolean DEFAULT true NOT NULL,
	"added_holidays" text[] DEFAULT '{}'::text[] NOT NULL,
	"removed_holidays" text[] DEFAULT '{}'::text[] NOT NULL,
	"added_workdays" text[] DEFAULT '{}'::text[] NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "business_calendars" ADD CONSTRAINT "business_calendars_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "business_calendars" ADD CONSTRAINT "business_calendars_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "business_calendars_org_name_key" ON "business_calendars" USING btree ("org_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "business_calendars_org_default_key" ON "business_calendars" USING btree ("org_id") WHERE "business_calendars"."is_default";