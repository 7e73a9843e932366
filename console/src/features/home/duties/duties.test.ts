import type { JointUnitHomeQuery, OfficeHomeQuery, OrganisationHomeQuery } from '../../../gql/graphql';
import { jointUnitSections } from './jointUnit';
import { officeSections } from './office';
import { organisationSections } from './organisation';

const edges = <T,>(...nodes: T[]) => ({ edges: nodes.map((node) => ({ node })) });
const NOW = new Date('2026-12-01T06:00:00Z');
const empty = { edges: [] };
const titles = (sections: { key: string; duties: { title: string; href?: string }[] }[], key: string) =>
  sections.find((s) => s.key === key)?.duties.map((d) => [d.title, d.href]);

describe("the office's duties", () => {
  const data = {
    upcoming: empty,
    past: empty,
    schedulingPolls: empty,
    openItems: edges({ id: 'A1', title: '修缮车棚', dueAt: '2026-11-20T00:00:00Z', overdueSince: '2026-11-20T00:00:00Z', owner: { id: 'P3', name: '安居物业' } }),
    startedItems: edges({ id: 'A2', title: '清理楼道', dueAt: '2026-12-20T00:00:00Z', overdueSince: null, owner: { id: 'P3', name: '安居物业' } }),
    complaints: edges({ id: 'C1', filedAt: '2026-11-30T02:00:00Z', complainant: { name: '乐龄社工' }, project: { title: '居家养老服务' } }),
    organisationFilings: edges({ id: 'F1', name: '阳光志愿者协会', legalForm: '社会团体' }),
    drafts: edges(
      { id: 'K1', title: '大额合同', value: '250000.00', approvedByOfficeAt: null, provider: { name: '乐龄社工' } },
      { id: 'K2', title: '小额合同', value: '20000.00', approvedByOfficeAt: null, provider: { name: '乐龄社工' } },
      { id: 'K3', title: '已批合同', value: '300000.00', approvedByOfficeAt: '2026-11-01T00:00:00Z', provider: { name: '乐龄社工' } },
    ),
  } as unknown as OfficeHomeQuery;

  it('lists complaints to hear, filings to review, contracts above the threshold not yet approved, overdue items', () => {
    const sections = officeSections(data, 'OFFICE', NOW);
    expect(titles(sections, 'complaints')).toEqual([['居家养老服务', '/complaints']]);
    expect(titles(sections, 'filings')).toEqual([['阳光志愿者协会', '/filings']]);
    expect(titles(sections, 'approvals')).toEqual([['大额合同', '/approvals']]);
    expect(sections.find((s) => s.key === 'approvals')?.duties[0]?.detail).toBe('乐龄社工 · ¥250,000.00');
    expect(titles(sections, 'escalated')).toEqual([['修缮车棚', '/action-items']]);
  });
});

describe("a social organisation's duties", () => {
  const data = {
    projects: edges({ id: 'UHJvajox', title: '社区助餐', budget: '60000', bidDeadline: '2026-12-02T12:00:00Z' }),
    contracts: edges({
      id: 'K1',
      title: '助老服务合同',
      milestones: [
        { id: 'M1', title: '第一期', dueOn: '2026-12-15', status: 'pending' },
        { id: 'M2', title: '第二期', dueOn: '2027-06-30', status: 'pending' },
        { id: 'M3', title: '已交付', dueOn: '2026-11-30', status: 'delivered' },
      ],
    }),
    complaints: empty,
    organisationFilings: edges({ id: 'F1', name: '乐龄社工', status: 'changes_requested', reviewNote: '请补充资质证书' }),
  } as unknown as OrganisationHomeQuery;

  it('lists tenders open to it, milestones to deliver within 30 days, and a filing to correct', () => {
    const sections = organisationSections(data, NOW);
    expect(titles(sections, 'tenders')).toEqual([['社区助餐', '/tenders/UHJvajox']]);
    expect(titles(sections, 'milestones')).toEqual([['第一期', '/service-contracts/K1']]);
    expect(titles(sections, 'filing')).toEqual([['乐龄社工', '/profile']]);
  });
});

describe("a joint-building unit's duties", () => {
  it("separates the others' demands it may claim from its own entries, and polls it has not answered", () => {
    const data = {
      listEntries: edges(
        { id: 'E1', title: '助老陪护', kind: 'demand', category: '养老', owner: { id: 'RC' } },
        { id: 'E2', title: '会议室', kind: 'resource', category: '场地', owner: { id: 'JBU' } },
        { id: 'E3', title: '旧物回收', kind: 'resource', category: '环保', owner: { id: 'RC' } },
      ),
      schedulingPolls: edges(
        { id: 'S1', title: '共建联席会', status: 'open', windowStartsAt: '2026-12-10T00:00:00Z', invited: [{ id: 'JBU' }], answered: [] },
        { id: 'S2', title: '已答', status: 'open', windowStartsAt: '2026-12-10T00:00:00Z', invited: [{ id: 'JBU' }], answered: [{ id: 'JBU' }] },
      ),
    } as unknown as JointUnitHomeQuery;
    const sections = jointUnitSections(data, 'JBU');
    expect(titles(sections, 'demands')?.map(([t]) => t)).toEqual(['助老陪护']);
    expect(titles(sections, 'ownEntries')?.map(([t]) => t)).toEqual(['会议室']);
    expect(titles(sections, 'polls')?.map(([t]) => t)).toEqual(['共建联席会']);
  });
});
