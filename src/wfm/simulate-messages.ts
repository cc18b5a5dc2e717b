// Messages of `kefu wfm simulate`, in both languages (see src/i18n/messages.ts).
import { registerMessages } from '../i18n/messages.ts';

registerMessages({
  'wfm.simulate.header': {
    'zh-CN': '仿真：{replications} 次重复，每次 {minutes} 分钟（预热 {warmup} 分钟），95% 置信区间',
    en: 'Simulation: {replications} replications of {minutes} minutes (warm-up {warmup}), 95% confidence intervals',
  },
  'wfm.simulate.columns': {
    'zh-CN': '队列 | 呼入量 | 服务水平 [95% 区间] | 平均应答速度（秒） | 放弃率 | 占用率',
    en: 'queue | offered | service level [95% CI] | ASA (s) | abandon rate | occupancy',
  },
  'wfm.simulate.callbacks': {
    'zh-CN': '  {queue} 回呼：提供 {offered}，接受 {accepted}，已回呼 {answered}，回呼服务水平 {serviceLevel}，平均回呼等待 {asa} 秒',
    en: '  {queue} callbacks: offered {offered}, accepted {accepted}, called back {answered}, callback service level {serviceLevel}, mean wait for the call back {asa} s',
  },
  'wfm.simulate.overall': { 'zh-CN': '全体坐席占用率 {occupancy}', en: 'overall agent occupancy {occupancy}' },
  'wfm.simulate.read_failed': { 'zh-CN': '无法读取输入文件 {file}：{reason}', en: 'Cannot read the input file {file}: {reason}' },
  'wfm.simulate.invalid': { 'zh-CN': '输入文件有误：', en: 'The input file is invalid:' },
});
