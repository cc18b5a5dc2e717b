import { describe, expect, it } from 'vitest';
import { localDateTimeFormatter } from './local-time.ts';

// The oracle is the platform's own Intl formatting (ICU's time-zone data), instant by instant.
const intl = (timeZone: string) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

describe('localDateTimeFormatter', () => {
  it('writes the wall clock of Shanghai, New York, Lord Howe (half-hour DST) and Kathmandu (+05:45)', () => {
    expect(localDateTimeFormatter('Asia/Shanghai')(new Date('2024-12-31T16:30:05.900Z'))).toBe('2025-01-01 00:30:05');
    expect(localDateTimeFormatter('America/New_York')(new Date('2024-03-10T06:59:59Z'))).toBe('2024-03-10 01:59:59');
    expect(localDateTimeFormatter('America/New_York')(new Date('2024-03-10T07:00:00Z'))).toBe('2024-03-10 03:00:00');
    // Lord Howe moves by 30 minutes at 02:00 local, i.e. in the middle of a UTC hour.
    expect(localDateTimeFormatter('Australia/Lord_Howe')(new Date('2024-10-05T15:29:59Z'))).toBe('2024-10-06 01:59:59');
    expect(localDateTimeFormatter('Australia/Lord_Howe')(new Date('2024-10-05T15:30:00Z'))).toBe('2024-10-06 02:30:00');
    expect(localDateTimeFormatter('Asia/Kathmandu')(new Date('2024-06-01T00:00:00Z'))).toBe('2024-06-01 05:45:00');
  });

  it('agrees with Intl on 20,000 instants around daylight-saving changes and before 1970', () => {
    for (const zone of ['Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'America/Sao_Paulo']) {
      const fast = localDateTimeFormatter(zone);
      const oracle = intl(zone);
      let seed = 12345;
      const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      for (let i = 0; i < 4000; i++) {
        // Half the instants in March/October/November weeks of DST changes, half anywhere 1960–2040.
        const ms =
          i % 2 === 0
            ? Date.UTC(1990 + Math.floor(rand() * 45), [2, 9, 10][i % 3], 1) + Math.floor(rand() * 35 * 86_400_000)
            : Date.UTC(1960, 0, 1) + Math.floor(rand() * 80 * 365.25 * 86_400_000);
        expect(fast(new Date(ms)), `${zone} ${new Date(ms).toISOString()}`).toBe(oracle.format(ms));
      }
    }
  });
});
