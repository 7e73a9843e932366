import { CalendarOutlined, IdcardOutlined } from '@ant-design/icons';
import { PARTY_TYPES } from '../../app/parties';
import type { FeatureRoute } from '../../app/registry';

export const routes: FeatureRoute[] = [
  { path: '/calendar', page: 'Calendar', title: 'profile.calendar.title', parties: PARTY_TYPES, menu: { order: 90, icon: <CalendarOutlined /> } },
  { path: '/profile', page: 'Profile', title: 'profile.title', parties: PARTY_TYPES, menu: { order: 91, icon: <IdcardOutlined /> } },
];
