import { AuditOutlined, ScheduleOutlined } from '@ant-design/icons';
import type { FeatureRoute } from '../../app/registry';

// The owners' committee raises requests for its compound and approves their hours; the property
// company's schema has no service requests at all, so it is not offered these pages.
const REQUESTERS = ['residents_committee', 'owners_committee'] as const;

export const routes: FeatureRoute[] = [
  {
    path: '/service-requests',
    page: 'ServiceRequestsPage',
    title: 'dispatch.menu.requests',
    parties: REQUESTERS,
    menu: { order: 56, icon: <ScheduleOutlined /> },
  },
  { path: '/service-requests/:requestId', page: 'ServiceRequestPage', title: 'dispatch.menu.request', parties: REQUESTERS },
  {
    path: '/volunteer-records',
    page: 'VolunteerRecordsPage',
    title: 'dispatch.menu.records',
    parties: ['residents_committee'],
    menu: { order: 57, icon: <AuditOutlined /> },
  },
];
