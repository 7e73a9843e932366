import { CalendarOutlined, UnorderedListOutlined } from '@ant-design/icons';
import type { FeatureRoute } from '../../app/registry';

// The committee keeps the demand list (需求清单), joint-building units their resource lists
// (资源清单); each claims entries of the other's.
const SIDES = ['residents_committee', 'joint_building_unit'] as const;

export const routes: FeatureRoute[] = [
  { path: '/lists', page: 'ListsPage', title: 'demands.menu.lists', parties: SIDES, menu: { order: 28, icon: <UnorderedListOutlined /> } },
  { path: '/lists/:entryId', page: 'EntryPage', title: 'demands.menu.entry', parties: SIDES },
  // A unit is invited to find a time for a joint meeting; the meetings pages are not its own.
  { path: '/polls', page: 'PollsPage', title: 'demands.menu.polls', parties: ['joint_building_unit'], menu: { order: 29, icon: <CalendarOutlined /> } },
];
