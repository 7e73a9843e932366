import { FileSearchOutlined } from '@ant-design/icons';
import type { FeatureRoute } from '../../app/registry';

// The schema gives the audit log to the committee (its community's) and the sub-district office.
export const routes: FeatureRoute[] = [
  { path: '/audit', page: 'AuditLogPage', title: 'audit.menu.log', parties: ['residents_committee', 'street_office'], menu: { order: 80, icon: <FileSearchOutlined /> } },
];
