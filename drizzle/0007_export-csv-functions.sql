-- CSV cells, masking and customer export lines computed in the database, so an export of millions of
-- customers is formatted by PostgreSQL (the same SQL on PGlite) rather than row by row in Node.
-- Each function is the SQL twin of a TypeScript function, and a test holds the two to the same output:
--   kefu_csv_cell  ↔ csvCell    (src/customers/export-customers.ts)
--   kefu_mask_phone ↔ maskPhone (src/customers/model/masking.ts)
--   kefu_mask_email ↔ maskEmail (src/customers/model/masking.ts)
-- Plain SQL functions without FROM, so the planner inlines them into the export query.

-- Text Excel would evaluate as a formula (=, +, -, @ not followed by a number) is prefixed with ' (CSV injection).
CREATE OR REPLACE FUNCTION kefu_csv_guard(v text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN v IS NULL THEN ''
    WHEN left(v, 1) IN ('=', '@') THEN '''' || v
    WHEN left(v, 1) IN ('+', '-') AND NOT (substr(v, 2, 1) ~ '[0123456789]') THEN '''' || v
    ELSE v END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION kefu_csv_quote(s text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN strpos(s, '"') > 0 OR strpos(s, ',') > 0 OR strpos(s, chr(13)) > 0 OR strpos(s, chr(10)) > 0
    THEN '"' || replace(s, '"', '""') || '"' ELSE s END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION kefu_csv_cell(v text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT kefu_csv_quote(kefu_csv_guard(v))
$$;
--> statement-breakpoint
-- Digits of a phone; a 13-digit number starting 86 loses its country code.
CREATE OR REPLACE FUNCTION kefu_phone_digits(p text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN length(regexp_replace(p, '[^0123456789]', '', 'g')) = 13 AND left(regexp_replace(p, '[^0123456789]', '', 'g'), 2) = '86'
    THEN substr(regexp_replace(p, '[^0123456789]', '', 'g'), 3) ELSE regexp_replace(p, '[^0123456789]', '', 'g') END
$$;
--> statement-breakpoint
-- 11+ digits keep the first 3 and last 4; shorter numbers keep at most 3 and 4 but always hide 4.
CREATE OR REPLACE FUNCTION kefu_mask_digits(d text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN length(d) >= 11 THEN left(d, 3) || '****' || right(d, 4)
    ELSE left(d, least(3, greatest(0, length(d) - 4 - least(4, greatest(0, length(d) - 4)))))
      || repeat('*', length(d) - least(3, greatest(0, length(d) - 4 - least(4, greatest(0, length(d) - 4)))) - least(4, greatest(0, length(d) - 4)))
      || CASE WHEN least(4, greatest(0, length(d) - 4)) > 0 THEN right(d, least(4, greatest(0, length(d) - 4))) ELSE '' END
  END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION kefu_mask_phone(p text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT kefu_mask_digits(kefu_phone_digits(p))
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION kefu_mask_email(e text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN strpos(e, '@') <= 1 THEN '***'
    ELSE CASE WHEN strpos(e, '@') > 2 THEN left(e, 1) ELSE '' END || '***' || substr(e, strpos(e, '@')) END
$$;
