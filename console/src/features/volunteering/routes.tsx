import { ClockCircleOutlined, GiftOutlined, HistoryOutlined, NotificationOutlined, StarOutlined } from '@ant-design/icons';
import type { FeatureRoute } from '../../app/registry';

const VOLUNTEER = ['volunteer'] as const;

export const routes: FeatureRoute[] = [
  {
    path: '/volunteer/offers',
    page: 'OffersPage',
    title: 'volunteering.menu.offers',
    parties: VOLUNTEER,
    menu: { order: 50, icon: <NotificationOutlined /> },
  },
  {
    path: '/volunteer/shifts',
    page: 'ShiftsPage',
    title: 'volunteering.menu.shifts',
    parties: VOLUNTEER,
    menu: { order: 51, icon: <ClockCircleOutlined /> },
  },
  {
    path: '/volunteer/hours',
    page: 'HoursPage',
    title: 'volunteering.menu.hours',
    parties: VOLUNTEER,
    menu: { order: 52, icon: <HistoryOutlined /> },
  },
  {
    path: '/volunteer/points',
    page: 'PointsPage',
    title: 'volunteering.menu.points',
    parties: VOLUNTEER,
    menu: { order: 53, icon: <StarOutlined /> },
  },
  {
    path: '/volunteer/rewards',
    page: 'RewardsPage',
    title: 'volunteering.menu.rewards',
    parties: VOLUNTEER,
    menu: { order: 54, icon: <GiftOutlined /> },
  },
];
