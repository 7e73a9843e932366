import { CalendarOutlined, CarryOutOutlined } from '@ant-design/icons';
import type { FeatureRoute } from '../../app/registry';

/** The core parties of a joint meeting: each uses the same pages for its own part. */
const CORE = ['residents_committee', 'owners_committee', 'property_company'] as const;

export const routes: FeatureRoute[] = [
  {
    path: '/meetings',
    page: 'MeetingsPage',
    title: 'meetings.menu.meetings',
    parties: CORE,
    menu: { order: 10, icon: <CalendarOutlined /> },
  },
  { path: '/meetings/:meetingId', page: 'MeetingPage', title: 'meetings.menu.meeting', parties: CORE },
  {
    path: '/action-items',
    page: 'ActionItemsPage',
    title: 'meetings.menu.actionItems',
    parties: CORE,
    menu: { order: 11, icon: <CarryOutOutlined /> },
  },
];
