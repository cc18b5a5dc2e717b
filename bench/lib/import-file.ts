// Writes a deterministic customer CSV with Chinese headers, the shape a user would import.
import fs from 'node:fs';
import { once } from 'node:events';
import { provinces } from '../../src/platform/regions.ts';
import { searchKeys } from '../../src/customers/model/search-keys.ts';
import { newId } from '../../src/platform/ids.ts';
import { mulberry32 } from '../../src/platform/mulberry32.ts';

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平', '刚', '桂英', '建国', '小明', '晓东'];
const TAGS = ['VIP', '经销商', '老客户', '新客户', '投诉过'];
const SOURCES = ['门店', '电话', '官网', '展会', '转介绍'];

function rng(seed: number) {
  return mulberry32(seed);
}

/** Columns of `copyFile`, in the customers table's own shape, for the plain-COPY baseline. */
export const COPY_COLUMNS =
  'id, org_id, kind, name, phones, emails, province_code, city_code, district_code, street, tags, source, name_pinyin, name_initials, name_grams, phone_text, email_text';

const arr = (xs: readonly string[]) => `{${xs.map((x) => `"${x.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`.replace(/\\/g, '\\\\');

/**
 * Writes the CSV a user would import and, when `copyFile` is given, the same rows already in the
 * customers table's shape (codes, arrays and search keys computed) as COPY text for the baseline.
 */
export async function writeImportCsv(file: string, n: number, seed: number, copyFile?: { path: string; orgId: string }): Promise<void> {
  const r = rng(seed);
  const pick = <T>(a: readonly T[]) => a[Math.floor(r() * a.length)];
  const regions = provinces().flatMap((p) =>
    p.children.flatMap((c) =>
      c.level === 'city'
        ? c.children.map((d) => [p.name, c.name, d.name, p.code, c.code, d.code])
        : [[p.name, '', c.name, p.code, '\\N', c.code]],
    ),
  );
  const out = fs.createWriteStream(file);
  const copyOut = copyFile ? fs.createWriteStream(copyFile.path) : null;
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  const writeCopy = async (s: string) => {
    if (copyOut && !copyOut.write(s)) await once(copyOut, 'drain');
  };
  await write('姓名,手机,邮箱,省,市,区,地址,标签,来源\n');
  for (let i = 0; i < n; i++) {
    const [prov, city, dist, provCode, cityCode, distCode] = pick(regions);
    // Unique phone per row: 139 + 8 digits from the row number, shuffled deterministically.
    const phone = `139${String((i * 7_654_321 + 12_345) % 100_000_000).padStart(8, '0')}`;
    const email = r() < 0.3 ? `u${i}@example.com` : '';
    const tags = r() < 0.5 ? pick(TAGS) : '';
    const name = `${pick(SURNAMES)}${pick(GIVEN)}`;
    const street = `${dist}人民路${1 + (i % 300)}号`;
    const source = pick(SOURCES);
    await write(`${name},${phone},${email},${prov},${city},${dist},${street},${tags},${source}\n`);
    if (copyFile) {
      const k = searchKeys({ name, phones: [phone], emails: email ? [email] : [] });
      const cols = [newId(), copyFile.orgId, 'person', name, arr([phone]), arr(email ? [email] : []), provCode, cityCode, distCode, street, arr(tags ? [tags] : []), source, k.namePinyin, k.nameInitials, arr(k.nameGrams), k.phoneText, k.emailText];
      await writeCopy(`${cols.join('\t')}\n`);
    }
  }
  out.end();
  await once(out, 'finish');
  if (copyOut) {
    copyOut.end();
    await once(copyOut, 'finish');
  }
}
