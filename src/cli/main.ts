// `kefu` command line: one file per command group, registered here.
import { Command } from 'commander';
import { registerServe } from './serve.ts';
import { registerAdmin } from './admin.ts';
import { registerDemo } from './demo.ts';
import { registerImportExport } from './import-export.ts';
import { registerAnalytics } from './analytics.ts';

const program = new Command();
program.name('kefu').description('Kefu (客服) customer-service management').version('0.1.0');
registerServe(program);
registerAdmin(program);
registerDemo(program);
registerImportExport(program);
registerAnalytics(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
