// Test fixture: the CDNOW sample's repeat summaries with calibration ending 1997-09-30 (FHL 2005), read from the
// shared data set (never copied into the repository).
import { parseDay, readTransactions, summarize, type CustomerSummary } from '../transactions.ts';
import { sharedDataFile } from '../test-data.ts';

let cached: Promise<CustomerSummary[]> | null = null;

export function cdnowSampleSummaries(): Promise<CustomerSummary[]> {
  cached ??= readTransactions(sharedDataFile('cdnow_sample.txt'), 'cdnow').then((tr) => summarize(tr, parseDay('1997-09-30') ?? 0));
  return cached;
}

/** The sample's full transactions (for holdout checks). */
export async function cdnowSampleTransactions() {
  return readTransactions(sharedDataFile('cdnow_sample.txt'), 'cdnow');
}
