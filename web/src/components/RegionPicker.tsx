import { useTranslation } from 'react-i18next';
import { findRegion, useRegions } from '../api/regions.ts';

export interface RegionValue {
  provinceCode: string | null;
  cityCode: string | null;
  districtCode: string | null;
}

/** 省 / 市 / 区 cascading selects; municipalities (北京 …) have districts directly under the province. */
export function RegionPicker({ value, onChange, disabled }: { value: RegionValue; onChange: (v: RegionValue) => void; disabled?: boolean }) {
  const { t } = useTranslation();
  const regions = useRegions();
  const province = findRegion(regions.data, value.provinceCode);
  const second = province?.children ?? [];
  const secondIsDistrict = second[0]?.level === 'district';
  const secondValue = secondIsDistrict ? value.districtCode : value.cityCode;
  const city = secondIsDistrict ? undefined : findRegion(regions.data, value.cityCode);
  const third = city?.children ?? [];

  return (
    <div className="region-picker">
      <select
        value={value.provinceCode ?? ''}
        disabled={disabled}
        onChange={(e) => onChange({ provinceCode: e.target.value || null, cityCode: null, districtCode: null })}
        aria-label={t('region.province')}
      >
        <option value="">{t('region.province')}</option>
        {regions.data?.map((p) => (
          <option key={p.code} value={p.code}>
            {p.name}
          </option>
        ))}
      </select>
      <select
        value={secondValue ?? ''}
        disabled={disabled || !second.length}
        onChange={(e) =>
          onChange(
            secondIsDistrict
              ? { provinceCode: value.provinceCode, cityCode: null, districtCode: e.target.value || null }
              : { provinceCode: value.provinceCode, cityCode: e.target.value || null, districtCode: null },
          )
        }
        aria-label={secondIsDistrict ? t('region.district') : t('region.city')}
      >
        <option value="">{secondIsDistrict ? t('region.district') : t('region.city')}</option>
        {second.map((c) => (
          <option key={c.code} value={c.code}>
            {c.name}
          </option>
        ))}
      </select>
      {!secondIsDistrict && (
        <select
          value={value.districtCode ?? ''}
          disabled={disabled || !third.length}
          onChange={(e) => onChange({ ...value, districtCode: e.target.value || null })}
          aria-label={t('region.district')}
        >
          <option value="">{t('region.district')}</option>
          {third.map((d) => (
            <option key={d.code} value={d.code}>
              {d.name}
            </option>
          ))}
        </select>
      )}
    </div>
  );
}
