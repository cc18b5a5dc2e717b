// Option parsers shared by the `kefu wfm` subcommands.

/** A finite number (underscores allowed), optionally within [min, max]. */
export function numberOption(name: string, min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY) {
  return (v: string): number => {
    const n = Number(v.replace(/_/g, ''));
    if (!Number.isFinite(n) || n < min || n > max) {
      throw new Error(`${name} must be a number in [${min}, ${max}] / ${name} 必须是 [${min}, ${max}] 范围内的数字`);
    }
    return n;
  };
}

/** A whole number ≥ min. */
export function intOption(name: string, min = 0) {
  return (v: string): number => {
    const n = Number(v.replace(/_/g, ''));
    if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number ≥ ${min} / ${name} 必须是不小于 ${min} 的整数`);
    return n;
  };
}

/** Finite numbers as they are, non-finite ones (an unstable queue's ASA) as null, so the output is valid JSON. */
export const jsonNumber = (x: number): number | null => (Number.isFinite(x) ? x : null);
