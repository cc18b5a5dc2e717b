// The RFM class codes, apart from the tables so that schemas of other domains (the customer list's
// value filters) and the web can use them without importing Drizzle tables.
/** The eight RFM classes (RFM 八类客户), R/F/M high (1) or low (0) against the mean or the median. */
export const rfmClasses = [
  'important_value', // 重要价值客户 111
  'important_development', // 重要发展客户 101
  'important_retain', // 重要保持客户 011
  'important_win_back', // 重要挽留客户 001
  'general_value', // 一般价值客户 110
  'general_development', // 一般发展客户 100
  'general_retain', // 一般保持客户 010
  'general_win_back', // 一般挽留客户 000
] as const;
export type RfmClass = (typeof rfmClasses)[number];
