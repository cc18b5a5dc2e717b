// `kefu analytics clv|pareto`: customer-value models and revenue concentration on a transaction file (no database).
//   kefu analytics clv --transactions FILE --format cdnow|csv --calibration-end YYYY-MM-DD
//                      [--model bgnbd|pareto-nbd|gamma-gamma] [--predict-customer ID --horizon N] [--json]
//   kefu analytics pareto --transactions FILE --format cdnow|csv [--points 100] [--json]
import { InvalidArgumentError, Option, type Command } from 'commander';
import { clvFromTransactions, paretoFromTransactions, type ClvModelName, type ClvResult } from '../analytics/analyze-transactions.ts';
import { ModelFitError } from '../analytics/model/index.ts';
import { parseDay, TransactionFileError, type TransactionFormat } from '../analytics/transactions.ts';

function day(v: string): number {
  const d = /^\d{4}-\d{2}-\d{2}$/.test(v) ? parseDay(v) : null;
  if (d === null) throw new InvalidArgumentError('expected a date YYYY-MM-DD / 需要日期 YYYY-MM-DD');
  return d;
}

function weeks(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number of weeks ≥ 0 / 需要非负的周数');
  return n;
}

function points(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 10000) throw new InvalidArgumentError('expected a whole number 1–10000 / 需要 1–10000 的整数');
  return n;
}

const MODEL_FIT_CODES: Record<ModelFitError['code'], string> = {
  no_data: '没有数据 / no data',
  no_repeat_buyers: '没有复购客户 / no repeat buyers',
  did_not_converge: '模型拟合未收敛 / the fit did not converge',
  invalid_input: '输入无效 / invalid input',
};

/** Errors the user can act on, in both languages; anything else is rethrown. */
function explain(err: unknown): string {
  if (err instanceof ModelFitError) return `${MODEL_FIT_CODES[err.code]}: ${err.message}`;
  if (err instanceof TransactionFileError) return `交易文件 / transaction file: ${err.message}`;
  throw err;
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toPrecision(6);
}

function human(r: ClvResult): string {
  const params = Object.entries(r.params)
    .map(([k, v]) => `${k} = ${fmt(v as number)}`)
    .join(', ');
  const lines = [
    `模型 / model: ${r.model}`,
    `参数 / parameters: ${params}`,
    `对数似然 / log-likelihood: ${r.logLikelihood.toFixed(2)}`,
    `客户 / customers: ${r.customers}, 复购次数 / repeat transactions: ${r.repeatTransactions}`,
  ];
  if (r.prediction) {
    for (const [k, v] of Object.entries(r.prediction)) lines.push(`预测 / prediction ${k}: ${fmt(v as number)}`);
  }
  return lines.join('\n') + '\n';
}

interface ClvOpts {
  transactions: string;
  format: TransactionFormat;
  calibrationEnd: number;
  model: ClvModelName;
  predictCustomer?: string;
  horizon?: number;
  json?: boolean;
}

interface ParetoOpts {
  transactions: string;
  format: TransactionFormat;
  points: number;
  json?: boolean;
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

export function registerAnalytics(program: Command): void {
  const analytics = program.command('analytics').description('客户价值分析 / customer-value analytics on a transaction file');
  const format = () => new Option('--format <format>', 'cdnow | csv (customer_id,date,amount)').choices(['cdnow', 'csv']).makeOptionMandatory();

  analytics
    .command('clv')
    .description('BG/NBD, Pareto/NBD or Gamma-Gamma fit; optional prediction for one customer (time in weeks)')
    .requiredOption('--transactions <file>', 'transaction file')
    .addOption(format())
    .requiredOption('--calibration-end <date>', 'last day of the calibration period, YYYY-MM-DD', day)
    .addOption(new Option('--model <model>', 'bgnbd | pareto-nbd | gamma-gamma').choices(['bgnbd', 'pareto-nbd', 'gamma-gamma']).default('bgnbd'))
    .option('--predict-customer <id>', 'customer id to predict')
    .option('--horizon <weeks>', 'prediction horizon in weeks', weeks)
    .option('--json', 'print one JSON object')
    .action(async (o: ClvOpts) => {
      if (o.predictCustomer !== undefined && o.model !== 'gamma-gamma' && o.horizon === undefined) {
        fail('--predict-customer needs --horizon N (weeks) / --predict-customer 需要 --horizon N（周）');
      }
      let result: ClvResult;
      try {
        result = await clvFromTransactions({
          file: o.transactions,
          format: o.format,
          calibrationEndDay: o.calibrationEnd,
          model: o.model,
          predictCustomer: o.predictCustomer,
          horizon: o.horizon,
        });
      } catch (err) {
        fail(explain(err));
      }
      process.stdout.write(o.json ? `${JSON.stringify(result)}\n` : human(result));
    });

  analytics
    .command('pareto')
    .description('revenue concentration: share of revenue from the top 20% of customers, and the curve')
    .requiredOption('--transactions <file>', 'transaction file')
    .addOption(format())
    .option('--points <n>', 'points on the curve', points, 100)
    .option('--json', 'print one JSON object')
    .action(async (o: ParetoOpts) => {
      let result;
      try {
        result = await paretoFromTransactions(o.transactions, o.format, o.points);
      } catch (err) {
        fail(explain(err));
      }
      if (o.json) process.stdout.write(`${JSON.stringify(result)}\n`);
      else {
        process.stdout.write(
          `客户 / customers: ${result.customers}, 收入 / revenue: ${result.revenue.toFixed(2)}\n` +
            `前 20% 客户的收入占比 / top 20% share of revenue: ${(100 * result.topShare).toFixed(1)}%\n`,
        );
      }
    });
}
