import i18n from 'i18next';
import { afterEach, describe, expect, it } from 'vitest';
import '../../app/i18n';
import { explainParts } from './explain';

// Sentences as services/volunteers/dispatch/explain.py writes them.
const CHOSEN =
  'skill cleaning level 3 ≥ 1; medical_licence valid until 2027-06-30; consented to home visits, identity verified; ' +
  '212 m from building 7c9e6679-7425-40de-944b-e07fc1f90ae7; 4.5 h in the last 30 days; 2 no-shows; cost 1.37';
const UNFILLED =
  "no volunteer could take this place: 3 lacked skill 'companionship' level ≥ 2; 1 would go over their weekly hour cap; " +
  'the 2 who fit were needed for other places (1 of higher priority, 1 of this request)';

describe('the dispatch explained', () => {
  afterEach(() => void i18n.changeLanguage('zh-CN'));

  it('says why a volunteer was chosen in Chinese, without the building record', async () => {
    await i18n.changeLanguage('zh-CN');
    const parts = explainParts(CHOSEN, i18n.t, 'zh-CN');
    expect(parts).toEqual([
      '清洁技能 3 级（要求 1 级以上）',
      'medical_licence 有效期至 2027年6月30日',
      '同意入户服务，已实名认证',
      '距服务地点 212 米',
      '近 30 天服务 4.5 小时',
      '爽约 2 次',
      '综合成本 1.37（越低越优先）',
    ]);
    expect(parts.join()).not.toContain('7c9e6679');
  });

  it('says why a place stays unfilled, in either language', async () => {
    await i18n.changeLanguage('zh-CN');
    expect(explainParts(UNFILLED, i18n.t, 'zh-CN')).toEqual([
      '3 人陪伴技能未达 2 级',
      '1 人将超过每周服务时长上限',
      '符合条件的 2 人需要去其他名额（1 人去了更优先的需求，1 人在本需求的其他名额）',
    ]);
    await i18n.changeLanguage('en');
    expect(explainParts(UNFILLED, i18n.t, 'en')[0]).toBe('3 lacked Companionship at level 2');
  });

  it('keeps a part it has no pattern for as the API wrote it', async () => {
    await i18n.changeLanguage('zh-CN');
    expect(explainParts('a reason not known yet; no no-shows', i18n.t, 'zh-CN')).toEqual(['a reason not known yet', '无爽约记录']);
  });
});
