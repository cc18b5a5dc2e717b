// Writes a deterministic customer CSV with Chinese headers, the shape a user would import.
import fs from 'node:fs';
import { once } from 'node:events';
import { provinces } from '../../src/platform/regions.ts';

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平', '刚', '桂英', '建国', '小明', '晓东'];
const TAGS = ['VIP', '经销商', '老客户', '新客户', '投诉过'];
const SOURCES = ['门店', '电话', '官网', '展会', '转介绍'];

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function writeImportCsv(file: string, n: number, seed: number): Promise<void> {
  const r = rng(seed);
  const pick = <T>(a: readonly T[]) => a[Math.floor(r() * a.length)];
  const regions = provinces().flatMap((p) =>
    p.children.flatMap((c) => (c.level === 'city' ? c.children.map((d) => [p.name, c.name, d.name]) : [[p.name, '', c.name]])),
  );
  const out = fs.createWriteStream(file);
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  await write('姓名,手机,邮箱,省,市,区,地址,标签,来源\n');
  for (let i = 0; i < n; i++) {
    const [prov, city, dist] = pick(regions);
    // Unique phone per row: 139 + 8 digits from the row number, shuffled deterministically.
    const phone = `139${String((i * 7_654_321 + 12_345) % 100_000_000).padStart(8, '0')}`;
    const email = r() < 0.3 ? `u${i}@example.com` : '';
    const tags = r() < 0.5 ? pick(TAGS) : '';
    await write(`${pick(SURNAMES)}${pick(GIVEN)},${phone},${email},${prov},${city},${dist},${dist}人民路${1 + (i % 300)}号,${tags},${pick(SOURCES)}\n`);
  }
  out.end();
  await once(out, 'finish');
}
