// The customer list's value filters as URL parameters (the query of GET /api/customers they map to).
export const valueFilterKeys = ['rfmClass', 'segmentId', 'tierId', 'keyAccount', 'rScore', 'fScore', 'mScore', 'minClv', 'maxClv', 'minPAlive', 'maxPAlive'] as const;
export type ValueFilterKey = (typeof valueFilterKeys)[number];
export type ValueFilters = Partial<Record<ValueFilterKey, string>>;
