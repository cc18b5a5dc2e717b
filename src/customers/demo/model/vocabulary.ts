// Word lists for demo customers. Surname frequencies (per 10,000 people) are rounded from the
// Ministry of Public Security's 2020 national surname report (《二〇二〇年全国姓名报告》) and the
// 2019 Chinese surname survey; province weights are the 2020 (seventh) census populations in millions.

export const surnames: ReadonlyArray<readonly [string, number]> = [
  ['王', 715], ['李', 706], ['张', 668], ['刘', 538], ['陈', 461], ['杨', 308], ['黄', 225], ['赵', 214],
  ['吴', 205], ['周', 189], ['徐', 166], ['孙', 154], ['马', 146], ['朱', 142], ['胡', 136], ['郭', 131],
  ['何', 124], ['林', 118], ['高', 118], ['罗', 116], ['郑', 107], ['梁', 99], ['谢', 88], ['宋', 84],
  ['唐', 81], ['许', 81], ['韩', 77], ['邓', 75], ['冯', 75], ['曹', 73], ['彭', 71], ['曾', 65],
  ['肖', 64], ['田', 63], ['董', 60], ['潘', 58], ['袁', 58], ['蔡', 56], ['蒋', 56], ['余', 54],
  ['于', 53], ['杜', 53], ['叶', 51], ['程', 50], ['魏', 48], ['苏', 48], ['吕', 47], ['丁', 47],
  ['任', 46], ['卢', 44], ['姚', 44], ['沈', 43], ['钟', 42], ['姜', 41], ['崔', 41], ['谭', 40],
  ['陆', 39], ['范', 37], ['汪', 37], ['廖', 36], ['石', 36], ['金', 35], ['韦', 34], ['贾', 34],
  ['夏', 33], ['付', 33], ['方', 33], ['邹', 31], ['熊', 31], ['白', 31], ['孟', 30], ['秦', 30],
  ['邱', 29], ['侯', 28], ['江', 28], ['尹', 28], ['薛', 27], ['闫', 27], ['段', 26], ['雷', 26],
  ['龙', 25], ['黎', 25], ['史', 25], ['陶', 24], ['贺', 24], ['毛', 23], ['郝', 23], ['顾', 23],
  ['龚', 22], ['邵', 21], ['万', 21], ['覃', 20], ['武', 20], ['钱', 20], ['戴', 19], ['严', 19],
  ['莫', 18], ['孔', 18], ['向', 18], ['常', 17], ['汤', 17], ['康', 16], ['易', 16], ['乔', 15],
  ['赖', 15], ['文', 15], ['施', 14], ['洪', 14], ['单', 8], ['曲', 8], ['欧阳', 5], ['上官', 2],
  ['司马', 2], ['诸葛', 1], ['皇甫', 1], ['令狐', 1],
];

export const givenMale = [...'伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林建国志文博晨阳天子轩宏海峰毅振家成嘉豪泽睿航立新永德福春'];
export const givenFemale = [...'芳娜秀英敏静丽艳娟霞兰燕玲桂婷雪慧红梅琳晶莉倩颖琴云洁萍悦欣怡佳雨思梦诗涵萱彤月妍琪璐瑶婉小晓美金凤春'];

/** [code, population in millions]; Hong Kong, Macao and Taiwan are left out (no mainland mobiles). */
export const provinceWeights: ReadonlyArray<readonly [string, number]> = [
  ['440000', 126], ['370000', 101], ['410000', 99], ['320000', 85], ['510000', 84], ['130000', 75],
  ['430000', 66], ['330000', 65], ['340000', 61], ['420000', 58], ['450000', 50], ['530000', 47],
  ['360000', 45], ['210000', 43], ['350000', 41], ['610000', 40], ['520000', 39], ['140000', 35],
  ['500000', 32], ['230000', 32], ['650000', 26], ['620000', 25], ['310000', 25], ['150000', 24],
  ['220000', 24], ['110000', 22], ['120000', 14], ['460000', 10], ['640000', 7], ['630000', 6], ['540000', 4],
];

/** Mainland mobile prefixes in use (China Mobile, Unicom, Telecom, Broadnet), weighted by how common they are. */
export const mobilePrefixes: ReadonlyArray<readonly [string, number]> = [
  ['130', 5], ['131', 5], ['132', 5], ['133', 5], ['134', 4], ['135', 8], ['136', 8], ['137', 8], ['138', 9], ['139', 9],
  ['145', 1], ['147', 1], ['150', 6], ['151', 6], ['152', 5], ['153', 4], ['155', 4], ['156', 4], ['157', 3], ['158', 6],
  ['159', 6], ['166', 2], ['172', 1], ['173', 2], ['175', 1], ['176', 2], ['177', 2], ['178', 2], ['180', 4], ['181', 4],
  ['182', 4], ['183', 4], ['184', 2], ['185', 4], ['186', 5], ['187', 5], ['188', 5], ['189', 5], ['191', 2], ['192', 1],
  ['193', 2], ['195', 1], ['197', 1], ['198', 3], ['199', 3],
];

export const emailDomains: ReadonlyArray<readonly [string, number]> = [
  ['qq.com', 30], ['163.com', 25], ['126.com', 12], ['foxmail.com', 6], ['sina.com', 5], ['139.com', 5],
  ['gmail.com', 4], ['outlook.com', 4], ['hotmail.com', 3], ['aliyun.com', 3], ['yeah.net', 2],
];

export const companyBrands = [...'华星盛鑫达恒泰锦瑞康宏远嘉诚信新中海天佳美润祥兴隆辉腾创汇丰通力安博启明'];
export const companyIndustries = [
  '电子', '科技', '贸易', '建材', '食品', '服饰', '物流', '医疗器械', '信息技术', '餐饮管理', '家具',
  '汽车服务', '机械设备', '商贸', '网络科技', '文化传媒', '装饰工程', '农业发展', '化工', '电器',
];
export const companySuffixes: ReadonlyArray<readonly [string, number]> = [['有限公司', 85], ['股份有限公司', 8], ['有限责任公司', 7]];

export const roadNames = [
  '人民', '解放', '中山', '建设', '和平', '新华', '长江', '黄河', '胜利', '文化', '朝阳', '东风', '滨江', '学府',
  '科技', '创业', '工业', '青年', '光明', '幸福', '迎宾', '金融', '世纪', '友谊', '花园', '湖滨', '南京', '北京',
  '府前', '振兴', '育才', '商业', '站前', '环城', '发展', '健康', '民主', '团结', '红旗', '五一',
];
export const roadSuffixes: ReadonlyArray<readonly [string, number]> = [['路', 60], ['街', 20], ['大道', 12], ['大街', 8]];
export const estateNames = [
  '阳光花园', '锦绣家园', '翠苑小区', '金色家园', '幸福里', '香榭丽舍', '碧桂园', '万科城', '保利花园', '世纪新城',
  '丽景苑', '御景湾', '绿城桂花园', '东方明珠苑', '滨江壹号', '学府佳苑', '龙湖春江', '富力城',
];
export const buildingNames = ['大厦', '中心', '广场', '科技园', '商务楼', '产业园'];

/** Tags with the share of persons and of companies that carry them. */
export const tagShares: ReadonlyArray<readonly [string, number, number]> = [
  ['VIP', 0.08, 0.15],
  ['老客户', 0.25, 0.35],
  ['新客户', 0.15, 0.1],
  ['经销商', 0.01, 0.4],
  ['投诉过', 0.06, 0.05],
  ['高价值', 0.05, 0.2],
  ['潜在客户', 0.1, 0.1],
  ['会员', 0.2, 0.02],
  ['团购', 0.03, 0.15],
  ['价格敏感', 0.08, 0.05],
];

export const sources: ReadonlyArray<readonly [string, number]> = [
  ['门店', 35], ['电话', 20], ['官网', 15], ['展会', 8], ['转介绍', 12], ['微信', 10],
];

export const products = [
  '空气净化器', '扫地机器人', '净水器', '智能门锁', '洗碗机', '空调', '冰箱', '洗衣机', '电热水器', '油烟机',
  '办公桌椅', '打印机耗材', '按摩椅', '新风系统',
];
export const issues = ['噪音过大', '无法开机', '漏水', '配件缺失', '外观划痕', '遥控失灵', '安装不规范', '异味', '发货延迟'];
export const promotions = ['618', '双十一', '年货节', '会员日', '以旧换新', '国庆', '店庆'];

export type DemoChannel = 'phone' | 'sms' | 'email' | 'visit' | 'counter' | 'wechat' | 'web';
export type Direction = 'inbound' | 'outbound';

export const channelWeights: ReadonlyArray<readonly [DemoChannel, number]> = [
  ['phone', 35], ['wechat', 20], ['sms', 10], ['counter', 10], ['web', 10], ['visit', 8], ['email', 7],
];

/** Summary templates: {product} {issue} {promo} {amount} {days} {date} are filled in. */
export const contactTemplates: Record<DemoChannel, Record<Direction, readonly string[]>> = {
  phone: {
    inbound: [
      '客户来电咨询{product}的价格和优惠活动',
      '客户来电反映{product}{issue}，已登记并安排售后上门',
      '客户来电查询订单物流，已告知预计{days}天内送达',
      '客户来电要求修改收货地址，已处理',
      '客户来电咨询{product}保修期限，已说明',
    ],
    outbound: [
      '回访客户{product}使用情况，客户表示满意',
      '电话通知客户{promo}活动，客户有兴趣，稍后发送资料',
      '电话确认上门安装时间为{date}',
      '电话回访投诉处理结果，客户认可处理方案',
    ],
  },
  sms: {
    inbound: ['客户回复短信确认收货', '客户回复短信：退订营销短信'],
    outbound: ['发送{promo}活动短信', '发送订单发货通知短信', '发送满意度调查短信', '发送售后工单进度短信'],
  },
  email: {
    inbound: ['客户邮件询问发票开具事宜，已回复', '客户邮件索取{product}产品资料'],
    outbound: ['发送{product}报价单及产品资料', '发送年度合作协议草稿', '发送电子发票，金额{amount}元'],
  },
  visit: {
    inbound: ['客户到公司参观洽谈{product}采购'],
    outbound: [
      '上门拜访客户，介绍{product}新品，客户有采购意向',
      '上门处理{product}{issue}问题，已修复',
      '拜访客户沟通续约事宜，约定{date}再次跟进',
      '上门安装{product}并讲解使用方法',
    ],
  },
  counter: {
    inbound: [
      '客户到门店选购{product}，成交金额{amount}元',
      '客户到门店办理{product}退换货',
      '客户到店咨询会员积分兑换',
      '客户到店体验{product}，暂未下单',
    ],
    outbound: ['门店邀约客户到店参加{promo}活动'],
  },
  wechat: {
    inbound: ['客户微信咨询{promo}活动规则', '客户微信发来{product}故障照片：{issue}', '客户微信询问配送时间'],
    outbound: ['微信沟通{product}使用方法，已发送操作视频', '通过企业微信发送新品资料', '微信推送{promo}优惠券'],
  },
  web: {
    inbound: ['客户在官网留言咨询{product}售后政策', '官网在线客服：客户咨询配送范围', '客户通过官网提交投诉：{product}{issue}', '客户在官网预约{product}上门安装'],
    outbound: ['官网在线客服主动邀请客户咨询{product}'],
  },
};

/** How often each channel's contact is inbound. */
export const inboundShare: Record<DemoChannel, number> = {
  phone: 0.6, sms: 0.1, email: 0.4, visit: 0.05, counter: 0.95, wechat: 0.6, web: 0.9,
};

/** Demo territories (销售大区) and the provinces they cover. */
export const demoTerritories: ReadonlyArray<{ name: string; regionCodes: readonly string[] }> = [
  { name: '华南', regionCodes: ['440000', '450000', '460000'] },
  { name: '华东', regionCodes: ['310000', '320000', '330000', '340000', '350000', '360000', '370000'] },
  { name: '华北', regionCodes: ['110000', '120000', '130000', '140000', '150000'] },
  { name: '华中', regionCodes: ['410000', '420000', '430000'] },
  { name: '西南', regionCodes: ['500000', '510000', '520000', '530000', '540000'] },
  { name: '西北', regionCodes: ['610000', '620000', '630000', '640000', '650000'] },
  { name: '东北', regionCodes: ['210000', '220000', '230000'] },
];
