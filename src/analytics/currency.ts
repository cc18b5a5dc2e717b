// The currency of the value analyses (分析币种). Orders carry their own currency, and minor units of
// two currencies do not add up, so every analysis reads only the orders in the organization's
// analytics currency and reports what it left out: `excludedOrders` (orders in other currencies
// that the analysis would otherwise have read) and `excludedCustomers` (customers left out entirely
// because all of those orders of theirs were in other currencies). The currency is a bound
// parameter and the counts come from the same scan, as FILTERed aggregates.
import { z } from 'zod';

/** The default when an organization has not chosen one (Kefu's organizations have no currency of their own). */
export const DEFAULT_ANALYTICS_CURRENCY = 'CNY';

/** ISO 4217 codes as the runtime's ICU knows them (no hand-typed list). */
const iso4217 = new Set(Intl.supportedValuesOf('currency'));

export const currencyCode = z
  .string()
  .trim()
  .toUpperCase()
  .refine((c) => iso4217.has(c), { message: 'unknown_currency' });

/** Added to the outputs that sum money over orders. */
export const excludedFields = {
  /** The currency the amounts are in (the analytics currency). */
  currency: z.string(),
  /** Orders in other currencies that the analysis left out. */
  excludedOrders: z.number(),
  /** Customers left out because all their orders in scope were in other currencies. */
  excludedCustomers: z.number(),
};
